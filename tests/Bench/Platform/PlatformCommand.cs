using System.Diagnostics;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Platform;

/// <summary>
/// <c>platform</c>: what this machine charges for the two steps of every hand-off between threads — a system call, and
/// waking a thread that sleeps — measured before the servers start, so that the context switches counted per message
/// in the delivery scenarios can be read as CPU. Each cost is the best of three rounds (the least disturbed); the idle
/// wake-ups' distribution is the whole of one round, since its tail is the point.
/// </summary>
internal static class PlatformCommand
{
    private const int Rounds = 3;

    public static async Task<int> RunAsync(Options options)
    {
        var yields = options.Int("yields", 500_000);
        var handoffs = options.Int("handoffs", 50_000);
        var yieldCost = Best(() => Timed(yields, () => YieldMany(yields)));
        var handoffCost = Best(() => Timed(handoffs * 2, () => PingPong(handoffs)));
        var wakeUps = options.Int("idle-wakeups", 5_000);
        var idleWake = IdleWakeProbe.Measure(wakeUps);

        var result = ScenarioResult.For(options.Get("name", "platform"))
            .Set("syscall_us", Math.Round(yieldCost.WallUs, 2))
            .Set("handoff_wall_us", Math.Round(handoffCost.WallUs, 2))
            .Set("handoff_cpu_us", Math.Round(handoffCost.CpuUs, 2))
            .Set("idle_wake_p50_us", Math.Round(idleWake.Percentile(50) * 1000, 1))
            .Set("idle_wake_p99_us", Math.Round(idleWake.Percentile(99) * 1000, 1))
            .Set("idle_wake_p999_us", Math.Round(idleWake.Percentile(99.9) * 1000, 1))
            .Set("idle_wake_max_ms", Math.Round(idleWake.Percentile(100), 2))
            .Note($"syscall_us: one sched_yield with nothing else to run (Thread.Yield, as a spinning thread-pool worker calls it), best of {Rounds} × {yields:N0}")
            .Note($"handoff_*: one thread wakes another that sleeps in the kernel and then sleeps itself (two threads, events without spinning), best of {Rounds} × {handoffs:N0} round trips; " +
                  "wall = time until the woken thread runs, cpu = CPU both threads spent per hand-off")
            .Note($"idle_wake_*: {wakeUps:N0} wake-ups of a thread sleeping on an event, each set after its waker slept ~1 ms (the machine idle in between); time until the woken thread runs");
        await result.SaveAsync(Path.Combine(options.Get("dir"), "results"));
        return 0;
    }

    private static void YieldMany(int count)
    {
        for (var i = 0; i < count; i++)
        {
            Thread.Yield();
        }
    }

    /// <summary><paramref name="roundTrips"/> round trips between this thread and another, each waking the other in turn.</summary>
    private static void PingPong(int roundTrips)
    {
        using var ping = new ManualResetEventSlim(initialState: false, spinCount: 0);
        using var pong = new ManualResetEventSlim(initialState: false, spinCount: 0);
        var partner = new Thread(() =>
        {
            for (var i = 0; i < roundTrips; i++)
            {
                ping.Wait();
                ping.Reset();
                pong.Set();
            }
        }) { IsBackground = true };
        partner.Start();
        for (var i = 0; i < roundTrips; i++)
        {
            ping.Set();
            pong.Wait();
            pong.Reset();
        }

        partner.Join();
    }

    private static Cost Timed(int operations, Action run)
    {
        var cpuBefore = ProcFs.SelfAndReapedTicks();
        var started = Stopwatch.GetTimestamp();
        run();
        var wall = Stopwatch.GetElapsedTime(started);
        var cpuSeconds = (ProcFs.SelfAndReapedTicks() - cpuBefore) / ProcFs.TicksPerSecond;
        return new Cost(wall.TotalMicroseconds / operations, cpuSeconds * 1e6 / operations);
    }

    private static Cost Best(Func<Cost> measure) => Enumerable.Range(0, Rounds).Select(_ => measure()).MinBy(c => c.WallUs)!;

    private sealed record Cost(double WallUs, double CpuUs);
}
