using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The newest rows of one chat, contiguous by seq, so the hot reads (open a chat, catch up on the
/// last few messages) never touch the database. A query is answered here only when the rows it
/// needs are provably all in the window; otherwise the caller goes to the log.
/// </summary>
internal sealed class MessageWindow(int capacity)
{
    private readonly List<ChatMessage> _rows = new(capacity);
    private long _lastSeq;

    /// <summary>True when the window holds every row of the chat since its first message.</summary>
    private bool HasWholeChat => _rows.Count == 0 ? _lastSeq == 0 : _rows[0].Seq == 1;

    private long FirstSeq => _rows.Count == 0 ? _lastSeq + 1 : _rows[0].Seq;

    public void Load(IReadOnlyList<ChatMessage> newestRows, long lastSeq)
    {
        _rows.Clear();
        _rows.AddRange(newestRows);
        _lastSeq = lastSeq;
    }

    public void Append(ChatMessage message)
    {
        if (_rows.Count == capacity)
        {
            _rows.RemoveAt(0);
        }

        _rows.Add(message);
        _lastSeq = message.Seq;
    }

    public ChatMessage? Find(Guid messageId) => _rows.Find(m => m.Id == messageId);

    public ChatMessage? FindByClientId(Guid senderId, string clientMessageId) =>
        _rows.Find(m => m.SenderId == senderId && m.ClientMessageId == clientMessageId);

    /// <summary>Replaces a row if the window holds it (rows outside the window live only in the log).</summary>
    public void Replace(ChatMessage message)
    {
        var index = (int)(message.Seq - FirstSeq);
        if (index >= 0 && index < _rows.Count)
        {
            _rows[index] = message;
        }
    }

    /// <summary>Undeleted messages below <paramref name="beforeSeq"/>, oldest first; <c>null</c> when the log must answer.</summary>
    public List<ChatMessage>? TryGetBefore(long beforeSeq, int limit)
    {
        var page = new List<ChatMessage>(Math.Min(limit, _rows.Count));
        for (var i = _rows.Count - 1; i >= 0 && page.Count < limit; i--)
        {
            if (_rows[i].Seq < beforeSeq && !_rows[i].IsDeleted)
            {
                page.Add(_rows[i]);
            }
        }

        if (page.Count < limit && !HasWholeChat)
        {
            return null;
        }

        page.Reverse();
        return page;
    }

    /// <summary>Undeleted messages above <paramref name="afterSeq"/>, oldest first; <c>null</c> when the log must answer.</summary>
    public List<ChatMessage>? TryGetAfter(long afterSeq, int limit) =>
        afterSeq + 1 < FirstSeq ? null : [.. _rows.Where(m => m.Seq > afterSeq && !m.IsDeleted).Take(limit)];

    /// <summary>The newest undeleted message, or <c>null</c> with <paramref name="known"/> false when it is older than the window.</summary>
    public ChatMessage? LastMessage(out bool known)
    {
        var last = _rows.FindLast(m => !m.IsDeleted);
        known = last is not null || HasWholeChat;
        return last;
    }

    /// <summary>Messages from others after <paramref name="afterSeq"/>; <c>null</c> when some of them are older than the window.</summary>
    public int? TryCountUnread(Guid userId, long afterSeq) =>
        afterSeq + 1 < FirstSeq ? null : _rows.Count(m => m.Seq > afterSeq && m.SenderId != userId && !m.IsDeleted);
}
