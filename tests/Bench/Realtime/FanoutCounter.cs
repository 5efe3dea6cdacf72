using System.Diagnostics;
using System.Globalization;
using System.Text;
using SafeGram.Bench.Sockets;

namespace SafeGram.Bench.Realtime;

/// <summary>Numbers the fan-out messages (clientMessageId <c>f…-k</c>, unique to this run) and counts their arrivals on all sockets.</summary>
internal sealed class FanoutCounter
{
    private readonly byte[] _prefix;
    private readonly string _prefixText;
    private long _next;
    private long _delivered;
    private long _lastArrival = Stopwatch.GetTimestamp();

    public FanoutCounter()
    {
        _prefix = FrameScanner.NewPrefix('f');
        _prefixText = Encoding.ASCII.GetString(_prefix);
    }

    public long Delivered => Interlocked.Read(ref _delivered);

    public long LastArrival => Interlocked.Read(ref _lastArrival);

    /// <summary>The next message's clientMessageId.</summary>
    public string Next() => _prefixText + Interlocked.Increment(ref _next).ToString(CultureInfo.InvariantCulture);

    public void OnFrame(int target, ReadOnlySpan<byte> frame, long arrivedAt)
    {
        if (!FrameScanner.IsMessage(frame) || !FrameScanner.TryGetSequence(frame, _prefix, out _))
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
