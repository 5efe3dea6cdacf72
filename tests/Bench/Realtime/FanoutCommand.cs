using System.Diagnostics;
using SafeGram.Bench.Api;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Report;
using SafeGram.Bench.Setup;
using SafeGram.Bench.Sockets;

namespace SafeGram.Bench.Realtime;

/// <summary>
/// <c>fanout</c>: the whole crowd holds sockets spread over the gateways; after an unmeasured warm-up into the largest
/// group, group by group (largest first: the 1,000-member fan-out group, then the smaller cost-per-message groups), one
/// member sends for a fixed time and the arrivals on all members' sockets are counted. Saves <c>fanout</c> (the largest
/// group) and <c>group_cost</c>.
/// </summary>
internal static class FanoutCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var dir = options.Get("dir");
        var urls = options.List("gateways");
        var seconds = options.Double("seconds", 10);
        var processes = ProcessTable.Load(options.Get("pids"));
        var state = BenchState.Load(dir);
        var api = new GatewayApi(HttpFactory.Client(urls[0]));
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(options.Int("max-minutes", 10)));

        var counter = new FanoutCounter();
        var targets = state.Crowd.Select((user, i) => (WsConnector.SocketUri(urls[i % urls.Count]), user.Token)).ToList();
        var connectStarted = Stopwatch.GetTimestamp();
        await using var pool = await SocketPool.ConnectAsync(targets, counter.OnFrame, 32, timeout.Token);
        var connectSeconds = Stopwatch.GetElapsedTime(connectStarted).TotalSeconds;
        var storm = Stopwatch.GetTimestamp();
        var stormCpu = CpuMeter.Start(processes);
        var settled = await Quiet.WaitAsync(processes, () => pool.Frames, TimeSpan.FromSeconds(options.Int("settle-seconds", 90)));
        var stormUsage = stormCpu.Stop();
        var stormFrames = pool.Frames;

        var inFlight = options.Int("concurrency", 8);
        var window = options.Int("window", 16);
        var run = new GroupRun(counter, processes, inFlight, window);
        async Task<GroupRunResult> SendIntoAsync(BenchChat chat, double forSeconds, string label)
        {
            var result = await run.RunAsync(api, state.Crowd[chat.Members[0]], chat.Id, chat.Members.Length, TimeSpan.FromSeconds(forSeconds), timeout.Token);
            await Console.Out.WriteLineAsync($"[bench] {label}group of {chat.Members.Length}: {result.MessagesPerSecond:0} msg/s, {result.DeliveriesPerSecond:0} deliveries/s");
            await Quiet.WaitAsync(processes, () => pool.Frames, TimeSpan.FromSeconds(20));
            return result;
        }

        // Like the REST routes (see the warm command), the fan-out path of fresh processes runs its first seconds
        // through tier-0 code and the JIT: five fresh 1 silo + 2 gateway clusters fanned out 57–85k deliveries/s on
        // their first run, 74–100k on the next. So the largest group is first sent into unmeasured.
        var warmUpSeconds = options.Double("warmup", 10);
        var warmUp = warmUpSeconds > 0 ? await SendIntoAsync(state.CrowdChats[0], warmUpSeconds, "warm-up, ") : null;
        var runs = new List<GroupRunResult>();
        foreach (var chat in state.CrowdChats)
        {
            runs.Add(await SendIntoAsync(chat, seconds, ""));
        }

        var fanout = runs[0];
        var result = ScenarioResult.For("fanout")
            .Set("fanout_per_s", Math.Round(fanout.DeliveriesPerSecond))
            .Set("group_size", fanout.Size)
            .Set("messages", fanout.Messages)
            .Set("messages_per_s", Math.Round(fanout.MessagesPerSecond, 1))
            .Set("deliveries", fanout.Deliveries)
            .Set("missing_deliveries", fanout.Expected - fanout.Deliveries)
            .Set("send_errors", fanout.SendErrors)
            .Set("sockets", targets.Count)
            .Set("sockets_open_at_end", pool.Open)
            .Set("connect_seconds", Math.Round(connectSeconds, 1))
            .Set("presence_storm_frames", stormFrames)
            .Set("presence_storm_seconds", Math.Round(settled, 1))
            .Set("presence_storm_server_cpu_s", Math.Round(stormUsage.ServerSeconds, 1))
            .Set("warmup_deliveries_per_s", Math.Round(warmUp?.DeliveriesPerSecond ?? 0))
            .WithCpu(fanout.Cpu)
            .Note($"one sender, {inFlight} sends in flight, at most {window} messages undelivered; " +
                  $"{seconds:0}s of sends then the last arrivals; members alternate over {urls.Count} gateway(s)")
            .Note($"connecting the {targets.Count} members sent {stormFrames} presence frames; the servers took {settled:0}s to settle")
            .Note(warmUp is null
                ? "no warm-up: the first sends ran through code the JIT had not yet optimized"
                : $"measured after {warmUp.Seconds:0}s of unmeasured sends into the largest group ({warmUp.DeliveriesPerSecond:0} deliveries/s while the JIT optimized the path)");
        foreach (var (status, count) in pool.Closes)
        {
            result.Note($"{count} sockets closed by the server ({status})");
        }

        await result.SaveAsync(Path.Combine(dir, "results"));
        await GroupCost(runs).SaveAsync(Path.Combine(dir, "results"));
        return 0;
    }

    private static ScenarioResult GroupCost(IEnumerable<GroupRunResult> runs)
    {
        var result = ScenarioResult.For("group_cost");
        foreach (var run in runs.OrderBy(r => r.Size))
        {
            var prefix = $"g{run.Size}_";
            result.Set(prefix + "messages_per_s", Math.Round(run.MessagesPerSecond, 1))
                .Set(prefix + "deliveries_per_s", Math.Round(run.DeliveriesPerSecond))
                .Set(prefix + "server_cpu_ms_per_message", Math.Round(run.Cpu.ServerSeconds * 1000 / Math.Max(1, run.Messages), 3))
                .Set(prefix + "server_cpu_us_per_delivery", Math.Round(run.Cpu.ServerSeconds * 1e6 / Math.Max(1, run.Deliveries), 2))
                .Set(prefix + "server_switches_per_message", Math.Round((double)run.Cpu.ServerSwitches / Math.Max(1, run.Messages), 1));
            foreach (var role in new[] { "silo", "gateway", "postgres", "redis", "client" })
            {
                result.Set(prefix + role + "_cpu_ms_per_message", Math.Round(run.Cpu.Seconds.GetValueOrDefault(role) * 1000 / Math.Max(1, run.Messages), 3));
            }
        }

        return result.Note("one sender per group, all members connected; CPU of all server processes (silos, gateways, PostgreSQL, Redis)");
    }
}
