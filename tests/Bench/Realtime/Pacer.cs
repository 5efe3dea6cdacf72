using System.Diagnostics;

namespace SafeGram.Bench.Realtime;

/// <summary>
/// Starts work number k at k / rate seconds (open loop), never more than <c>maxInFlight</c> at once; a start held back
/// by that cap is counted as late.
/// </summary>
internal sealed class Pacer(double rate, int maxInFlight)
{
    private int _inFlight;

    public int Late { get; private set; }

    public async Task RunAsync(int count, Func<int, Task> work, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var running = new List<Task>(count);
        for (var k = 0; k < count && !cancellationToken.IsCancellationRequested; k++)
        {
            var due = TimeSpan.FromSeconds(k / rate);
            var wait = due - Stopwatch.GetElapsedTime(started);
            if (wait > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(wait, cancellationToken);
            }

            if (Volatile.Read(ref _inFlight) >= maxInFlight)
            {
                Late++;
                while (Volatile.Read(ref _inFlight) >= maxInFlight && !cancellationToken.IsCancellationRequested)
                {
                    await Task.Delay(1, cancellationToken);
                }
            }

            Interlocked.Increment(ref _inFlight);
            running.Add(RunOneAsync(work, k));
        }

        await Task.WhenAll(running);
    }

    private async Task RunOneAsync(Func<int, Task> work, int k)
    {
        try
        {
            await work(k);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
