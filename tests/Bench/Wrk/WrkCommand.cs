using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Wrk;

/// <summary>
/// <c>wrk</c>: a warm-up run, then a measured run of wrk against one or more gateways at once (connections split
/// between them), with the CPU each server role used. Saves <c>rps</c> (2xx answers per second) and latency percentiles.
/// </summary>
internal static class WrkCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var name = options.Get("name");
        var urls = options.List("urls");
        var data = options.Get("data");
        var method = options.Get("method", "GET");
        var threads = options.Int("threads", 2);
        var connections = options.Int("connections", 64);
        var seconds = options.Int("seconds", 10);
        var warmup = options.Int("warmup", 3);
        var processes = ProcessTable.Load(options.Get("pids"));

        // Each wrk gets its share of the connections and threads.
        var perUrlConnections = Math.Max(1, connections / urls.Count);
        var perUrlThreads = Math.Clamp(threads / urls.Count, 1, perUrlConnections);

        // Earlier work (setup's membership events, a previous scenario) must not leak into this one.
        await Quiet.WaitAsync(processes, null, TimeSpan.FromSeconds(30));
        if (warmup > 0)
        {
            await Task.WhenAll(urls.Select(url => WrkRunner.RunAsync(url, data, method, perUrlThreads, perUrlConnections, warmup)));
        }

        var meter = CpuMeter.Start(processes);
        var runs = await Task.WhenAll(urls.Select(url => WrkRunner.RunAsync(url, data, method, perUrlThreads, perUrlConnections, seconds)));
        var cpu = meter.Stop();

        var duration = runs.Max(r => r.DurationUs) / 1e6;
        var requests = runs.Sum(r => r.Requests);
        var errors = runs.Sum(r => r.Errors);
        var ok = requests - runs.Sum(r => r.Non2xx);
        var result = ScenarioResult.For(name)
            .Set("rps", Math.Round(ok / duration))
            .Set("all_rps", Math.Round(requests / duration))
            .Set("requests", requests)
            .Set("errors", errors)
            .Set("p50_ms", Math.Round(runs.Sum(r => r.P50Us * (double)r.Requests) / Math.Max(1, requests) / 1000, 2))
            .Set("p90_ms", Math.Round(runs.Max(r => r.P90Us) / 1000.0, 2))
            .Set("p99_ms", Math.Round(runs.Max(r => r.P99Us) / 1000.0, 2))
            .Set("max_ms", Math.Round(runs.Max(r => r.MaxUs) / 1000.0, 2))
            .Set("connections", perUrlConnections * urls.Count)
            .Set("targets", urls.Count)
            .WithCpu(cpu);
        foreach (var (role, cpuSeconds) in cpu.Seconds.Where(kv => kv.Key != "machine"))
        {
            result.Set($"cpu_us_per_request_{role}", Math.Round(cpuSeconds * 1e6 / Math.Max(1, requests), 1));
        }

        result.Note($"wrk -t{perUrlThreads} -c{perUrlConnections} -d{seconds}s ×{urls.Count} target(s) after a {warmup}s warm-up");
        if (urls.Count > 1)
        {
            result.Note("p50 is the request-weighted mean and p90/p99/max the worst of the per-target wrk runs");
        }

        if (errors > 0)
        {
            result.Note($"{errors} errors (non-2xx {runs.Sum(r => r.Non2xx)}, timeouts {runs.Sum(r => r.Timeouts)}, " +
                        $"socket {runs.Sum(r => r.ConnectErrors + r.ReadErrors + r.WriteErrors)})");
        }

        await result.SaveAsync(Path.Combine(options.Get("dir"), "results"));
        return 0;
    }
}
