namespace SafeGram.Bench.Report;

/// <summary>One line of the comparison: what we promised, what the bare-Kestrel ceiling on this box is, what the Go server promised.</summary>
internal sealed record Target(string Metric, string Goal, Func<IReadOnlyDictionary<string, double>, bool?> Pass, string Ceiling, string GoPromise);

/// <summary>The targets SafeGram is measured against (issue 5), the measured ceilings (design.md) and the earlier Go server's promise.</summary>
internal static class Targets
{
    public static readonly Target[] All =
    [
        new("kestrel_rps", "(the ceiling itself)", _ => null, "~42k rps 200-byte JSON, ~50k trivial GET", "—"),
        new("me_rps", "≥ 0.5 × kestrel_rps", v => Check(v, "me_rps", m => m >= 0.5 * v["kestrel_rps"]), "kestrel_rps", "10,000+ req/s"),
        new("read_rps", "≥ 10,000", v => Check(v, "read_rps", m => m >= 10_000), "kestrel_rps", "10,000+ req/s"),
        new("send_rps", "≥ 5,000", v => Check(v, "send_rps", m => m >= 5_000), "kestrel_rps", "10,000+ req/s"),
        new("send_p99_ms", "(reported)", _ => null, "—", "<10 ms"),
        new("deliver_p50_ms", "(reported)", _ => null, "—", "<10 ms"),
        new("deliver_p99_ms", "< 10", v => Check(v, "deliver_p99_ms", m => m < 10), "—", "<10 ms"),
        new("fanout_per_s", "≥ 100,000", v => Check(v, "fanout_per_s", m => m >= 100_000), "~400k deliveries/s", "—"),
        new("ws_sockets", "≥ 50,000", v => Check(v, "ws_sockets", m => m >= 50_000), "~19,900 per process (open-files limit)", "50,000+ sockets"),
        new("ws_kb_per_socket", "≤ 20", v => Check(v, "ws_kb_per_socket", m => m <= 20), "~15 KB RSS + ~5 KB kernel", "—"),
        new("gw_idle_mb", "≤ 100", v => Check(v, "gw_idle_mb", m => m <= 100), "—", "~50–100 MB idle"),
        new("silo_idle_mb", "≤ 150", v => Check(v, "silo_idle_mb", m => m <= 150), "—", "~50–100 MB idle"),
    ];

    private static bool? Check(IReadOnlyDictionary<string, double> values, string metric, Func<double, bool> test) =>
        values.TryGetValue(metric, out var value) && !double.IsNaN(value) ? test(value) : null;
}
