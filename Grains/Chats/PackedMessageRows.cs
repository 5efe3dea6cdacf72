using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The oldest-first rows of one chat's window, kept as values rather than as <see cref="ChatMessage"/> objects: the
/// fixed-size fields in a ring of structs (allocated a chunk at a time), the strings copied into one character buffer.
/// A silo holds each message in a window for minutes while hundreds arrive every second; as objects, every one of
/// them survived its first collections and was copied into the older generations, and that copying was most of a busy
/// silo's GC pause time (tests/Bench/HISTORY.md, "What changed, measured"). A read builds a fresh
/// <see cref="ChatMessage"/>, which dies young.
/// </summary>
internal sealed class PackedMessageRows(int capacity)
{
    private const int MinChars = 256;

    /// <summary>Rows are allocated this many at a time as a chat fills its window, and never copied to grow.</summary>
    private const int ChunkRows = 16;

    /// <summary>Compaction sorts the live rows' slots on the stack up to this many (a window of 256 rows is 1 KB).</summary>
    private const int MaxStackSlots = 256;

    private readonly int _capacity = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity));
    private readonly Row[]?[] _chunks = new Row[]?[(capacity + ChunkRows - 1) / ChunkRows];
    private readonly ImmutableArray<MessageReaction>[] _reactions = new ImmutableArray<MessageReaction>[capacity];
    private char[] _chars = [];
    private int _charsUsed;
    private int _first;
    private Guid _chatId;

    public int Count { get; private set; }

    public ChatMessage this[int index] => Read(Slot(index));

    public void Clear()
    {
        Array.Clear(_reactions);
        _first = 0;
        _charsUsed = 0;
        Count = 0;
    }

    /// <summary>Adds the newest row; at capacity the oldest one leaves.</summary>
    public void Add(ChatMessage message)
    {
        if (Count == _capacity)
        {
            _reactions[_first] = default;
            _first = (_first + 1) % _capacity;
            Count--;
        }

        Count++;
        Write(Slot(Count - 1), message);
    }

    public void Set(int index, ChatMessage message) => Write(Slot(index), message);

    public long SeqAt(int index) => RowAt(Slot(index)).Seq;

    public Guid IdAt(int index) => RowAt(Slot(index)).Id;

    public Guid SenderAt(int index) => RowAt(Slot(index)).SenderId;

    public bool IsDeletedAt(int index) => RowAt(Slot(index)).DeletedAt is not null;

    public bool HasClientId(int index, Guid senderId, string clientMessageId)
    {
        ref readonly var row = ref RowAt(Slot(index));
        return row.SenderId == senderId && row.ClientIdLength == clientMessageId.Length
            && _chars.AsSpan(row.ClientIdStart, row.ClientIdLength).SequenceEqual(clientMessageId);
    }

    private int Slot(int index) => (_first + index) % _capacity;

    private ref Row RowAt(int slot) => ref (_chunks[slot / ChunkRows] ??= NewLongLived<Row>(ChunkRows))[slot % ChunkRows];

    private void Write(int slot, ChatMessage message)
    {
        var clientId = message.ClientMessageId ?? "";
        var needed = message.Text.Length + message.SenderUsername.Length + clientId.Length;
        if (_charsUsed + needed > _chars.Length)
        {
            Compact(exceptSlot: slot, needed);
        }

        var start = _charsUsed;
        var chars = _chars.AsSpan(start, needed);
        message.Text.CopyTo(chars);
        message.SenderUsername.CopyTo(chars[message.Text.Length..]);
        clientId.CopyTo(chars[(message.Text.Length + message.SenderUsername.Length)..]);
        _charsUsed += needed;

        _chatId = message.ChatId;
        _reactions[slot] = message.Reactions;
        RowAt(slot) = new Row(
            message.Id, message.Seq, message.SenderId, message.CreatedAt, message.EditedAt, message.DeletedAt, message.ReplyTo,
            message.Version, start, message.Text.Length, message.SenderUsername.Length,
            message.ClientMessageId is null ? -1 : clientId.Length);
    }

    /// <summary>
    /// Moves the live rows' characters to the front of the buffer, in place (oldest region first, so nothing is
    /// overwritten before it moves), and grows the buffer only when live text fills more than half of it: a chat's
    /// steady state allocates nothing.
    /// </summary>
    private void Compact(int exceptSlot, int needed)
    {
        Span<int> byStart = Count <= MaxStackSlots ? stackalloc int[Count] : new int[Count];
        var live = 0;
        var n = 0;
        for (var i = 0; i < Count; i++)
        {
            var slot = Slot(i);
            if (slot != exceptSlot)
            {
                byStart[n++] = slot;
                live += RowAt(slot).CharCount;
            }
        }

        byStart = byStart[..n];
        byStart.Sort((a, b) => RowAt(a).CharsStart.CompareTo(RowAt(b).CharsStart));
        var target = 2 * (live + needed) > _chars.Length ? NewLongLived<char>(Math.Max(MinChars, 2 * (live + needed))) : _chars;
        var used = 0;
        foreach (var slot in byStart)
        {
            ref var row = ref RowAt(slot);
            _chars.AsSpan(row.CharsStart, row.CharCount).CopyTo(target.AsSpan(used));
            row = row with { CharsStart = used };
            used += row.CharCount;
        }

        (_chars, _charsUsed) = (target, used);
    }

    /// <summary>
    /// Rows and characters hold no references and live as long as the chat: on the pinned object heap, which is
    /// collected with generation 2 only, they are never copied out of generation 0 and then 1 as they would be if
    /// allocated young (the rows of a chat still filling its window were most of what a busy silo's collections
    /// promoted).
    /// </summary>
    private static T[] NewLongLived<T>(int length) where T : unmanaged => GC.AllocateArray<T>(length, pinned: true);

    private ChatMessage Read(int slot)
    {
        ref readonly var row = ref RowAt(slot);
        var chars = _chars.AsSpan(row.CharsStart, row.CharCount);
        var text = chars[..row.TextLength];
        var sender = chars.Slice(row.TextLength, row.SenderLength);
        string? clientId = row.ClientIdLength < 0 ? null : new string(chars[(row.TextLength + row.SenderLength)..]);
        return new ChatMessage(
            row.Id, _chatId, row.Seq, row.SenderId, new string(sender), new string(text), row.CreatedAt, row.EditedAt,
            row.DeletedAt, row.ReplyTo, clientId, row.Version, _reactions[slot]);
    }

    /// <summary>A message's fixed-size fields and where its text, sender name and client id sit in the character buffer.</summary>
    private readonly record struct Row(
        Guid Id,
        long Seq,
        Guid SenderId,
        DateTimeOffset CreatedAt,
        DateTimeOffset? EditedAt,
        DateTimeOffset? DeletedAt,
        Guid? ReplyTo,
        long Version,
        int CharsStart,
        int TextLength,
        int SenderLength,
        int ClientIdLength)
    {
        public int ClientIdStart => CharsStart + TextLength + SenderLength;

        public int CharCount => TextLength + SenderLength + Math.Max(ClientIdLength, 0);
    }
}
