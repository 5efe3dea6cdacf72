using System.Diagnostics;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Platform;

/// <summary>
/// How long a thread takes to run after it is woken while the machine is idle: one thread sleeps on an event, another
/// sleeps about a millisecond (so both cores can go idle, as between two messages at a steady rate) and sets it. The
/// average hand-off would hide a tail: a rare wake-up that waited milliseconds for its core would be on the path of
/// every message more than once.
/// </summary>
internal static class IdleWakeProbe
{
    public static Latencies Measure(int wakeUps)
    {
        var latencies = new Latencies(wakeUps);
        using var signal = new ManualResetEventSlim(initialState: false, spinCount: 0);
        using var consumed = new ManualResetEventSlim(initialState: false, spinCount: 0);
        long setAt = 0;
        var sleeper = new Thread(() =>
        {
            for (var i = 0; i < wakeUps; i++)
            {
                signal.Wait();
                var woke = Stopwatch.GetTimestamp();
                signal.Reset();
                latencies.Add(Stopwatch.GetElapsedTime(Volatile.Read(ref setAt), woke).TotalMilliseconds);
                consumed.Set();
            }
        }) { IsBackground = true };
        sleeper.Start();
        for (var i = 0; i < wakeUps; i++)
        {
            Thread.Sleep(1);
            Volatile.Write(ref setAt, Stopwatch.GetTimestamp());
            signal.Set();
            consumed.Wait();
            consumed.Reset();
        }

        sleeper.Join();
        return latencies;
    }
}
