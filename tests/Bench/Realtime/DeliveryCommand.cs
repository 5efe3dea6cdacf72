using System.Diagnostics;
using SafeGram.Bench.Api;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Postgres;
using SafeGram.Bench.Report;
using SafeGram.Bench.Setup;
using SafeGram.Bench.Sockets;

namespace SafeGram.Bench.Realtime;

/// <summary>
/// <c>deliver</c>: every member of the small delivery chats holds a socket, members of one chat on different gateways;
/// messages are sent at a fixed rate across the chats and each one is timed from the start of its POST to its arrival
/// on every other member's socket. The warm-up's sends, deliveries, CPU and collections are not counted. The load
/// generator keeps its own garbage collector out of the measured window; the silos' and gateways' collections and
/// allocations in it are counted. Given a <see cref="CommitProbe"/>'s options, pgbench also commits send-shaped rows
/// at a tenth of the rate (at least <see cref="MinProbeRate"/>/s) while the load runs: the database's own commit
/// latency under the same load, beside the silos' view of their commits.
/// </summary>
internal static class DeliveryCommand
{
    private const double MinProbeRate = 50;

    public static async Task<int> RunAsync(Options options)
    {
        var dir = options.Get("dir");
        var name = options.Get("name", "delivery");
        var urls = options.List("gateways");
        var rate = options.Double("rate", 1000);
        var seconds = options.Double("seconds", 20);
        var warmup = options.Double("warmup", 3);
        var processes = ProcessTable.Load(options.Get("pids"));
        var state = BenchState.Load(dir);
        var apis = urls.Select(u => new GatewayApi(HttpFactory.Client(u))).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(warmup + seconds + 180));

        var warmupMessages = (int)(rate * warmup);
        var plan = new DeliveryPlan(state, urls, (int)Math.Ceiling(rate * (warmup + seconds)), warmupMessages);
        var measuredMessages = plan.Messages - warmupMessages;
        await using var pool = await SocketPool.ConnectAsync(plan.Targets, plan.OnFrame, 32, timeout.Token);
        var settled = await Quiet.WaitAsync(processes, () => pool.Frames, TimeSpan.FromSeconds(30));

        var probe = CommitProbe.IsConfigured(options) ? await CommitProbe.CreateAsync(options, dir, name, timeout.Token) : null;
        // Started with the warm-up, so that its connection is made outside the window; only commits inside it count.
        var probing = probe?.RunAsync(clients: 1, Math.Max(MinProbeRate, rate / 10), (int)Math.Ceiling(warmup + seconds), timeout.Token);
        DateTimeOffset? windowOpenedAt = null;
        var sendLatency = new Latencies();
        var sendErrors = 0;
        var pacer = new Pacer(rate, maxInFlight: 1000);
        var quietClient = NoGcWindow.Start();
        var window = new MeasuredWindow(processes, timeout.Token);
        var started = Stopwatch.GetTimestamp();
        await pacer.RunAsync(plan.Messages, async k =>
        {
            if (k == warmupMessages)
            {
                windowOpenedAt = DateTimeOffset.UtcNow;
                window.Open();
            }

            var (sender, chat, gateway) = plan.Message(k);
            plan.MarkStart(k);
            var ok = await apis[gateway].SendAsync(sender, chat, $"delivery {k}", plan.ClientMessageId(k), timeout.Token);
            if (plan.IsMeasured(k))
            {
                sendLatency.Add(Stopwatch.GetElapsedTime(plan.StartOf(k)).TotalMilliseconds);
            }

            if (!ok)
            {
                Interlocked.Increment(ref sendErrors);
            }
        }, timeout.Token);
        var sending = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var drainStarted = Stopwatch.GetTimestamp();
        while (plan.Delivered < plan.Expected && Stopwatch.GetElapsedTime(drainStarted) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50, timeout.Token);
        }

        var (cpu, collected, stages) = await window.CloseAsync();
        var (clientAllocatedMb, clientHeld) = quietClient.End();
        var result = ScenarioResult.For(name)
            .Set("rate_target", rate)
            .Set("rate_achieved", Math.Round(plan.Messages / sending))
            .Set("messages", measuredMessages)
            .Set("warmup_messages", warmupMessages)
            .Set("send_errors", sendErrors)
            .Set("late_starts", pacer.Late)
            .Set("expected_deliveries", plan.Expected)
            .Set("missing_deliveries", plan.Expected - plan.Delivered)
            .Set("sockets", plan.Targets.Count)
            .Set("gateways", urls.Count)
            .Set("server_cpu_ms_per_message", Math.Round(cpu.ServerSeconds * 1000 / measuredMessages, 3))
            .Set("server_switches_per_message", Math.Round((double)cpu.ServerSwitches / measuredMessages, 1))
            .Set("machine_switches_per_message", Math.Round((double)cpu.Switches.GetValueOrDefault("machine") / measuredMessages, 1))
            .WithCpu(cpu)
            .WithGc(collected, measuredMessages)
            .Set("client_allocated_mb", clientAllocatedMb)
            .Set("client_no_gc_budget_mb", quietClient.BudgetMb)
            .Set("client_no_gc_held", clientHeld ? 1 : 0);
        foreach (var (key, value) in plan.Latency.Summary("deliver_").Concat(sendLatency.Summary("send_")).Concat(stages))
        {
            result.Set(key, value);
        }

        if (probing is not null)
        {
            try
            {
                foreach (var (key, value) in (await probing).Latencies(windowOpenedAt).Summary("loaded_commit_"))
                {
                    result.Set(key, value);
                }
            }
            catch (InvalidOperationException e)
            {
                result.Note($"the commit probe failed: {e.Message}");
            }
        }

        result.Note($"{plan.Chats} chats of {plan.ChatSize}, members alternating over {urls.Count} gateway(s); " +
                    $"{warmup:0}s warm-up excluded from the latencies, CPU and GC figures; settled {settled:0}s after connecting");
        if (plan.Expected > plan.Delivered)
        {
            result.Note($"{plan.Expected - plan.Delivered} of {plan.Expected} deliveries had not arrived 10 s after the last send");
        }

        if (!clientHeld)
        {
            result.Note($"the load generator collected garbage during the window ({clientAllocatedMb:0} MB allocated, no-GC budget {quietClient.BudgetMb} MB): its pauses are in these latencies");
        }

        if (pacer.Late > 0)
        {
            result.Note($"{pacer.Late} sends started late: 1,000 were already in flight (the servers could not keep up with the rate)");
        }

        foreach (var (status, count) in pool.Closes)
        {
            result.Note($"{count} sockets closed by the server during the run ({status})");
        }

        await result.SaveAsync(Path.Combine(dir, "results"));
        return 0;
    }
}
