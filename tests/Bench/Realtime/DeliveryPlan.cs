using System.Diagnostics;
using SafeGram.Bench.Api;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Setup;
using SafeGram.Bench.Sockets;

namespace SafeGram.Bench.Realtime;

/// <summary>
/// Who holds which socket where, who sends message k into which chat, and the bookkeeping of arrivals. Member j of a
/// chat sits on gateway j mod G and sends through that gateway; message k goes to chat k mod C, sent by its member
/// (k / C) mod size, so consecutive messages go to different chats.
/// </summary>
internal sealed class DeliveryPlan
{
    private readonly BenchState _state;
    private readonly int[] _targetUser;
    private readonly int[] _userGateway;
    private readonly long[] _startedAt;
    private readonly int _measureFrom;
    private readonly byte[] _prefix = FrameScanner.NewPrefix('d');
    private readonly string _prefixText;
    private long _delivered;

    public DeliveryPlan(BenchState state, IReadOnlyList<string> gateways, int messages, int measureFrom)
    {
        _state = state;
        Messages = messages;
        _measureFrom = measureFrom;
        _startedAt = new long[messages];
        _prefixText = System.Text.Encoding.ASCII.GetString(_prefix);
        _userGateway = new int[state.Receivers.Length];
        var targets = new List<(Uri, string)>();
        var targetUser = new List<int>();
        foreach (var chat in state.DeliveryChats)
        {
            for (var j = 0; j < chat.Members.Length; j++)
            {
                var user = chat.Members[j];
                _userGateway[user] = j % gateways.Count;
                targets.Add((WsConnector.SocketUri(gateways[j % gateways.Count]), state.Receivers[user].Token));
                targetUser.Add(user);
            }
        }

        Targets = targets;
        _targetUser = [.. targetUser];
        Expected = Enumerable.Range(0, messages).Sum(k => (long)Chat(k).Members.Length - 1);
    }

    public IReadOnlyList<(Uri Socket, string Token)> Targets { get; }

    public int Messages { get; }

    public int Chats => _state.DeliveryChats.Length;

    public int ChatSize => _state.DeliveryChats[0].Members.Length;

    /// <summary>Arrivals on sockets other than the sender's.</summary>
    public long Expected { get; }

    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Send-start → arrival, in ms, for messages after the warm-up.</summary>
    public Latencies Latency { get; } = new();

    public (BenchUser Sender, Guid Chat, int Gateway) Message(int k)
    {
        var chat = Chat(k);
        var user = SenderOf(k);
        return (_state.Receivers[user], chat.Id, _userGateway[user]);
    }

    /// <summary>The clientMessageId of message k, unique to this run.</summary>
    public string ClientMessageId(int k) => _prefixText + k.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public void MarkStart(int k) => Volatile.Write(ref _startedAt[k], Stopwatch.GetTimestamp());

    public long StartOf(int k) => Volatile.Read(ref _startedAt[k]);

    /// <summary>Whether message k is past the warm-up (its send and its deliveries count in the figures).</summary>
    public bool IsMeasured(int k) => k >= _measureFrom;

    public void OnFrame(int target, ReadOnlySpan<byte> frame, long arrivedAt)
    {
        if (!FrameScanner.IsMessage(frame) || !FrameScanner.TryGetSequence(frame, _prefix, out var k) || k < 0 || k >= Messages)
        {
            return;
        }

        var index = (int)k;
        if (_targetUser[target] == SenderOf(index))
        {
            return;
        }

        Interlocked.Increment(ref _delivered);
        if (IsMeasured(index))
        {
            Latency.Add(Stopwatch.GetElapsedTime(StartOf(index), arrivedAt).TotalMilliseconds);
        }
    }

    private BenchChat Chat(int k) => _state.DeliveryChats[k % _state.DeliveryChats.Length];

    private int SenderOf(int k)
    {
        var chat = Chat(k);
        return chat.Members[k / _state.DeliveryChats.Length % chat.Members.Length];
    }
}
