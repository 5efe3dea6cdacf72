using System.Diagnostics;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Connections;

/// <summary>
/// <c>sockets</c>: idle authenticated sockets spread evenly over the gateways, held by <c>hold-sockets</c> children
/// (at most <c>--per-process</c> each: a process may have 20,000 open files), each child from its own loopback source
/// address. Memory per socket = growth of all gateways' and silos' RSS from before connecting to after a settle.
/// </summary>
internal static class SocketsCommand
{
    /// <summary>How often a gateway renews each user's subscription (SessionTimings.Renewal in the server).</summary>
    private static readonly TimeSpan SessionRenewal = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(Options options)
    {
        var dir = options.Get("dir");
        var urls = options.List("gateways");
        var count = options.Int("count", 5000);
        var perProcess = options.Int("per-process", 16_000);
        var settle = options.Int("settle", 10);
        var processes = ProcessTable.Load(options.Get("pids"));
        var servers = processes.OfRole("gateway", "silo").ToList();
        var tokensFile = Path.Combine(dir, "sockets.tokens");
        var available = File.ReadLines(tokensFile).Count();
        var result = ScenarioResult.For("sockets");
        if (available < count)
        {
            result.Note($"only {available} socket users were registered; asked for {count}");
            count = available;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("max-seconds", 600)));
        await Quiet.WaitAsync(processes, null, TimeSpan.FromSeconds(30));
        var rawBefore = MemorySnapshot.Take(servers);
        var collected = await GcTrigger.CollectAllAsync(servers.Select(p => p.Pid));
        var before = MemorySnapshot.Take(servers);

        var children = new List<HoldProcess>();
        try
        {
            var slices = Slices(count, urls.Count, perProcess).ToList();
            var started = Stopwatch.GetTimestamp();
            foreach (var (slice, index) in slices.Select((s, i) => (s, i)))
            {
                children.Add(HoldProcess.Start(urls[slice.Gateway], tokensFile, slice.Offset, slice.Count, $"127.0.0.{index + 2}",
                    options.Int("max-seconds", 600)));
            }

            var meter = CpuMeter.Start([.. processes, .. children.Select(c => new ServerProcess("client", "holder", c.Pid))]);

            var ready = await Task.WhenAll(children.Select(c => c.ReadyAsync(timeout.Token)));
            var connectSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            var connectCpu = meter.Stop();
            await Console.Out.WriteLineAsync($"[bench] {ready.Sum(r => r.Open)} sockets open ({ready.Sum(r => r.Failed)} failed) in {connectSeconds:0}s; settling {settle}s");

            await Task.Delay(TimeSpan.FromSeconds(settle), timeout.Token);
            var rawAfter = MemorySnapshot.Take(servers);
            collected &= await GcTrigger.CollectAllAsync(servers.Select(p => p.Pid));
            var after = MemorySnapshot.Take(servers);
            var open = (await Task.WhenAll(children.Select(c => c.CountAsync(timeout.Token)))).Sum();

            // Held sockets are not free: gateways renew every user's subscription, user grains check their sessions and
            // the server pings each socket, all on timers. One renewal period of nothing but holding them:
            var holding = CpuMeter.Start(processes);
            await Task.Delay(SessionRenewal, timeout.Token);
            var holdingCpu = holding.Stop();

            result.Set("ws_sockets", open)
                .Set("requested", count)
                .Set("failed", ready.Sum(r => r.Failed))
                .Set("gateways", urls.Count)
                .Set("client_processes", children.Count)
                .Set("connect_seconds", Math.Round(connectSeconds, 1))
                .Set("connects_per_s", Math.Round(ready.Sum(r => r.Open) / connectSeconds))
                .Set("holding_server_cores", Math.Round(holdingCpu.ServerSeconds / holdingCpu.WallSeconds, 2))
                .Set("holding_silo_cores", holdingCpu.Cores().GetValueOrDefault("silo"))
                .Set("holding_gateway_cores", holdingCpu.Cores().GetValueOrDefault("gateway"))
                .WithCpu(connectCpu);
            after.Compare(before, open, result, "");
            rawAfter.Compare(rawBefore, open, result, "raw_");
            result.Note(collected
                ? "memory read after an induced full GC in every silo and gateway (before and after connecting); raw_*: as found, before that GC"
                : "an induced GC could not be confirmed in every process: compare with the raw_* figures");
            result.Note($"{slices.Max(s => s.Count)} sockets at most per client process and about {count / urls.Count} per gateway; " +
                        $"client source addresses 127.0.0.2-127.0.0.{children.Count + 1}; RSS measured {settle}s after connecting");
            result.Note($"CPU columns: while connecting; holding_*_cores: the servers' CPU over {SessionRenewal.TotalSeconds:0}s (one subscription " +
                        "renewal period) of only holding the idle sockets, after the settle");
        }
        finally
        {
            await Task.WhenAll(children.Select(c => c.StopAsync(TimeSpan.FromSeconds(30))));
            foreach (var child in children)
            {
                child.Dispose();
            }
        }

        await result.SaveAsync(Path.Combine(dir, "results"));
        return 0;
    }

    /// <summary>Each gateway gets an even share of the tokens, cut into slices no larger than one process may hold.</summary>
    private static IEnumerable<(int Gateway, int Offset, int Count)> Slices(int count, int gateways, int perProcess)
    {
        var offset = 0;
        for (var g = 0; g < gateways; g++)
        {
            var share = count / gateways + (g < count % gateways ? 1 : 0);
            var pieces = (int)Math.Ceiling(share / (double)perProcess);
            for (var p = 0; p < pieces; p++)
            {
                var size = share / pieces + (p < share % pieces ? 1 : 0);
                yield return (g, offset, size);
                offset += size;
            }
        }
    }
}
