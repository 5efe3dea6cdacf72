using System.Diagnostics;
using SafeGram.Bench.Api;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Realtime;

/// <summary>What one burst of sends into one group achieved.</summary>
internal sealed record GroupRunResult(int Size, long Messages, long Deliveries, long Expected, double Seconds, int SendErrors, CpuUsage Cpu)
{
    public double DeliveriesPerSecond => Deliveries / Seconds;

    public double MessagesPerSecond => Messages / Seconds;
}

/// <summary>
/// Sends into one group for a fixed time with a few sends in flight, holding back while more than <c>window</c>
/// messages are still on their way to the members (so no socket's outbound queue overflows), then waits for the last
/// deliveries. Deliveries per second run from the first send's start to the last arrival.
/// </summary>
internal sealed class GroupRun(FanoutCounter counter, IReadOnlyList<ServerProcess> processes, int concurrency, int window)
{
    public async Task<GroupRunResult> RunAsync(
        GatewayApi api, BenchUser sender, Guid chatId, int size, TimeSpan duration, CancellationToken cancellationToken)
    {
        var deliveredBefore = counter.Delivered;
        long sent = 0;
        var errors = 0;
        using var slots = new SemaphoreSlim(concurrency);
        var sends = new List<Task>();
        var meter = CpuMeter.Start(processes);
        var started = Stopwatch.GetTimestamp();

        while (Stopwatch.GetElapsedTime(started) < duration)
        {
            var pending = sent - (counter.Delivered - deliveredBefore) / size;
            if (pending >= window)
            {
                await Task.Delay(1, cancellationToken);
                continue;
            }

            await slots.WaitAsync(cancellationToken);
            var clientMessageId = counter.Next();
            sent++;
            sends.Add(Task.Run(async () =>
            {
                try
                {
                    if (!await api.SendAsync(sender, chatId, $"fan-out {clientMessageId}", clientMessageId, cancellationToken))
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }, cancellationToken));
        }

        await Task.WhenAll(sends);
        var expected = (sent - errors) * size;
        var drain = Stopwatch.GetTimestamp();
        while (counter.Delivered - deliveredBefore < expected && Stopwatch.GetElapsedTime(drain) < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(20, cancellationToken);
        }

        var cpu = meter.Stop();
        var delivered = counter.Delivered - deliveredBefore;
        var seconds = delivered > 0
            ? Stopwatch.GetElapsedTime(started, counter.LastArrival).TotalSeconds
            : Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new GroupRunResult(size, sent, delivered, expected, Math.Max(seconds, 0.001), errors, cpu);
    }
}
