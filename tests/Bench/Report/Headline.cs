using System.Globalization;

namespace SafeGram.Bench.Report;

/// <summary>The headline numbers (the <c>bench:</c> line), each taken from one scenario's result.</summary>
internal static class Headline
{
    /// <summary>Headline name → (scenario, metric), in the order of the bench line.</summary>
    public static readonly (string Name, string Scenario, string Metric)[] Sources =
    [
        ("kestrel_rps", "kestrel", "rps"),
        ("me_rps", "me", "rps"),
        ("read_rps", "read", "rps"),
        ("send_rps", "send", "rps"),
        ("send_p99_ms", "send", "p99_ms"),
        ("deliver_p50_ms", "delivery", "deliver_p50_ms"),
        ("deliver_p99_ms", "delivery", "deliver_p99_ms"),
        ("fanout_per_s", "fanout", "fanout_per_s"),
        ("ws_sockets", "sockets", "ws_sockets"),
        ("ws_kb_per_socket", "sockets", "ws_kb_per_socket"),
        ("gw_idle_mb", "idle", "gw_idle_mb"),
        ("silo_idle_mb", "idle", "silo_idle_mb"),
    ];

    public static Dictionary<string, double> Collect(IReadOnlyDictionary<string, ScenarioResult> results) =>
        Sources.ToDictionary(
            s => s.Name,
            s => results.TryGetValue(s.Scenario, out var r) ? r.Get(s.Metric) : double.NaN,
            StringComparer.Ordinal);

    public static string Line(IReadOnlyDictionary<string, double> values) =>
        "bench: " + string.Join(' ', Sources.Select(s => $"{s.Name}={Format(values[s.Name])}"));

    public static string Format(double value) =>
        double.IsNaN(value) ? "n/a"
        : Math.Abs(value) >= 100 ? Math.Round(value).ToString("0", CultureInfo.InvariantCulture)
        : value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Ratio(double value, double of) =>
        double.IsNaN(value) || double.IsNaN(of) || of == 0 ? "n/a" : (value / of).ToString("0.00", CultureInfo.InvariantCulture);
}
