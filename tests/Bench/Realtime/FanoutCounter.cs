using System.Diagnostics;
using SafeGram.Bench.Sockets;

namespace SafeGram.Bench.Realtime;

/// <summary>Numbers the fan-out messages (<c>f-k</c>) and counts their arrivals on all sockets.</summary>
internal sealed class FanoutCounter
{
    private long _next;
    private long _delivered;
    private long _lastArrival = Stopwatch.GetTimestamp();

    public long Delivered => Interlocked.Read(ref _delivered);

    public long LastArrival => Interlocked.Read(ref _lastArrival);

    public long Next() => Interlocked.Increment(ref _next);

    public void OnFrame(int target, ReadOnlySpan<byte> frame, long arrivedAt)
    {
        if (!FrameScanner.IsMessage(frame) || !FrameScanner.TryGetSequence(frame, (byte)'f', out _))
        {
            return;
        }

        Interlocked.Increment(ref _delivered);
        long seen;
        while ((seen = Interlocked.Read(ref _lastArrival)) < arrivedAt && Interlocked.CompareExchange(ref _lastArrival, arrivedAt, seen) != seen)
        {
        }
    }
}
