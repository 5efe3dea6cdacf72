using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The newest rows of one chat, contiguous by seq, so the hot reads (open a chat, catch up on the
/// last few messages) never touch the database. A query is answered here only when the rows it
/// needs are provably all in the window; otherwise the caller goes to the log.
/// </summary>
internal sealed class MessageWindow(int capacity)
{
    private readonly PackedMessageRows _rows = new(capacity);
    private long _lastSeq;

    /// <summary>True when the window holds every row of the chat since its first message.</summary>
    private bool HasWholeChat => _rows.Count == 0 ? _lastSeq == 0 : _rows.SeqAt(0) == 1;

    private long FirstSeq => _rows.Count == 0 ? _lastSeq + 1 : _rows.SeqAt(0);

    public void Load(IReadOnlyList<ChatMessage> newestRows, long lastSeq)
    {
        _rows.Clear();
        foreach (var row in newestRows)
        {
            _rows.Add(row);
        }

        _lastSeq = lastSeq;
    }

    public void Append(ChatMessage message)
    {
        _rows.Add(message);
        _lastSeq = message.Seq;
    }

    public ChatMessage? Find(Guid messageId) => IndexWhere(i => _rows.IdAt(i) == messageId) is { } index ? _rows[index] : null;

    public ChatMessage? FindByClientId(Guid senderId, string clientMessageId) =>
        IndexWhere(i => _rows.HasClientId(i, senderId, clientMessageId)) is { } index ? _rows[index] : null;

    /// <summary>Replaces a row if the window holds it (rows outside the window live only in the log).</summary>
    public void Replace(ChatMessage message)
    {
        var index = (int)(message.Seq - FirstSeq);
        if (index >= 0 && index < _rows.Count)
        {
            _rows.Set(index, message);
        }
    }

    /// <summary>Undeleted messages below <paramref name="beforeSeq"/>, oldest first; <c>null</c> when the log must answer.</summary>
    public List<ChatMessage>? TryGetBefore(long beforeSeq, int limit)
    {
        var page = new List<ChatMessage>(Math.Min(limit, _rows.Count));
        for (var i = _rows.Count - 1; i >= 0 && page.Count < limit; i--)
        {
            if (_rows.SeqAt(i) < beforeSeq && !_rows.IsDeletedAt(i))
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
    public List<ChatMessage>? TryGetAfter(long afterSeq, int limit)
    {
        if (afterSeq + 1 < FirstSeq)
        {
            return null;
        }

        var page = new List<ChatMessage>();
        for (var i = 0; i < _rows.Count && page.Count < limit; i++)
        {
            if (_rows.SeqAt(i) > afterSeq && !_rows.IsDeletedAt(i))
            {
                page.Add(_rows[i]);
            }
        }

        return page;
    }

    /// <summary>The newest undeleted message, or <c>null</c> with <paramref name="known"/> false when it is older than the window.</summary>
    public ChatMessage? LastMessage(out bool known)
    {
        for (var i = _rows.Count - 1; i >= 0; i--)
        {
            if (!_rows.IsDeletedAt(i))
            {
                known = true;
                return _rows[i];
            }
        }

        known = HasWholeChat;
        return null;
    }

    /// <summary>Messages from others after <paramref name="afterSeq"/>; <c>null</c> when some of them are older than the window.</summary>
    public int? TryCountUnread(Guid userId, long afterSeq)
    {
        if (afterSeq + 1 < FirstSeq)
        {
            return null;
        }

        var unread = 0;
        for (var i = 0; i < _rows.Count; i++)
        {
            if (_rows.SeqAt(i) > afterSeq && _rows.SenderAt(i) != userId && !_rows.IsDeletedAt(i))
            {
                unread++;
            }
        }

        return unread;
    }

    private int? IndexWhere(Func<int, bool> matches)
    {
        for (var i = 0; i < _rows.Count; i++)
        {
            if (matches(i))
            {
                return i;
            }
        }

        return null;
    }
}
