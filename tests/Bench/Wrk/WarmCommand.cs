using System.Globalization;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Wrk;

/// <summary>
/// <c>warm</c>: drives every measured REST route at once (<c>--routes METHOD:file,…</c>) against every gateway in
/// 5-second rounds until the cluster's throughput stops rising — a round no more than 10% above the best before it,
/// twice in a row, after at least <c>--min-seconds</c> — or <c>--max-seconds</c> pass. Fresh processes sharing two
/// cores spend their first minute in tiered compilation, and more processes take longer: 2 silos + 2 gateways
/// answered <c>GET /api/users/me</c> at ~3,500/s 20 s after start and 12,500–16,000/s after a minute, one silo and
/// one gateway at ~5,600/s and ~12,000/s. Not a measurement: it saves the rounds' throughput so the report shows how
/// long the cluster took to warm.
/// </summary>
internal static class WarmCommand
{
    private const int RoundSeconds = 5;
    private const double StillRising = 1.10;
    private const int SettledRounds = 2;

    public static async Task<int> RunAsync(Options options)
    {
        var urls = options.List("urls");
        var routes = options.List("routes").Select(Route.Parse).ToList();
        var minSeconds = options.Int("min-seconds", 30);
        var maxSeconds = options.Int("max-seconds", 90);
        var connections = Math.Max(1, options.Int("connections", 64) / (urls.Count * routes.Count));

        var rounds = new List<double>();
        long errors = 0;
        var settled = 0;
        while (rounds.Count * RoundSeconds < maxSeconds)
        {
            var runs = await Task.WhenAll(
                from url in urls
                from route in routes
                select WrkRunner.RunAsync(url, route.DataFile, route.Method, 1, connections, RoundSeconds));
            errors += runs.Sum(r => r.Errors);
            var rps = Math.Round(runs.Sum(r => r.Requests - r.Non2xx) / (double)RoundSeconds);
            settled = rounds.Count > 0 && rps <= StillRising * rounds.Max() ? settled + 1 : 0;
            rounds.Add(rps);
            if (settled >= SettledRounds && rounds.Count * RoundSeconds >= minSeconds)
            {
                break;
            }
        }

        var result = ScenarioResult.For(options.Get("name"))
            .Set("seconds", rounds.Count * RoundSeconds)
            .Set("first_rps", rounds[0])
            .Set("last_rps", rounds[^1])
            .Set("settled", settled >= SettledRounds ? 1 : 0)
            .Set("errors", errors)
            .Note($"warm-up, not a measurement: {routes.Count} routes × {urls.Count} gateway(s), {connections} connections each; " +
                  $"requests/s per {RoundSeconds} s round: {string.Join(", ", rounds.Select(r => r.ToString(CultureInfo.InvariantCulture)))}");
        await result.SaveAsync(Path.Combine(options.Get("dir"), "results"));
        return 0;
    }

    private sealed record Route(string Method, string DataFile)
    {
        public static Route Parse(string text)
        {
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            return colon > 0
                ? new Route(text[..colon], text[(colon + 1)..])
                : throw new ArgumentException($"--routes wants METHOD:file entries, not '{text}'.");
        }
    }
}
