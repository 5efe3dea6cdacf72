using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The embedded mode's message log: the same contract as the PostgreSQL log, held in this process.
/// One lock is enough for a single-process development server.
/// </summary>
internal sealed class InMemoryMessageLog : IMessageLog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, List<ChatMessage>> _chats = [];
    private readonly Dictionary<Guid, ChatMessage> _byId = [];
    private readonly Dictionary<(Guid ChatId, Guid UserId), long> _readMarkers = [];

    public Task<LogHead> GetHeadAsync(Guid chatId, CancellationToken cancellationToken) => Locked(() =>
    {
        var rows = Rows(chatId);
        return rows.Count == 0 ? default : new LogHead(rows[^1].Seq, rows.Max(r => r.Version));
    });

    public Task<IReadOnlyList<ChatMessage>> GetRowsAsync(Guid chatId, long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChatMessage>>(() => [.. Rows(chatId).Where(r => r.Seq >= fromSeq && r.Seq <= toSeq)]);

    public Task<bool> InsertAsync(ChatMessage message, CancellationToken cancellationToken) => Locked(() =>
    {
        var rows = Rows(message.ChatId, create: true);
        if (message.ClientMessageId is { } clientId && rows.Any(r => r.SenderId == message.SenderId && r.ClientMessageId == clientId))
        {
            return false;
        }

        if (message.Seq != rows.Count + 1)
        {
            throw new InvalidOperationException($"Seq {message.Seq} is not next in chat {message.ChatId}.");
        }

        rows.Add(message);
        _byId[message.Id] = message;
        return true;
    });

    public Task<ChatMessage?> FindAsync(Guid chatId, Guid messageId, CancellationToken cancellationToken) =>
        Locked(() => _byId.TryGetValue(messageId, out var m) && m.ChatId == chatId ? Current(m) : null);

    public Task<ChatMessage?> FindByClientIdAsync(Guid chatId, Guid senderId, string clientMessageId, CancellationToken cancellationToken) =>
        Locked(() => Rows(chatId).FirstOrDefault(r => r.SenderId == senderId && r.ClientMessageId == clientMessageId));

    public Task<Guid?> FindChatIdAsync(Guid messageId, CancellationToken cancellationToken) =>
        Locked(() => _byId.TryGetValue(messageId, out var m) ? m.ChatId : (Guid?)null);

    public Task UpdateAsync(ChatMessage message, CancellationToken cancellationToken) => Locked(() =>
    {
        Replace(message.IsDeleted ? message with { Text = "", Reactions = [] } : message);
        return true;
    });

    public Task SetReactionAsync(ChatMessage message, Guid userId, MessageReaction? reaction, long version, CancellationToken cancellationToken) =>
        Locked(() =>
        {
            var current = Rows(message.ChatId)[(int)message.Seq - 1];
            var reactions = current.Reactions.RemoveAll(r => r.UserId == userId);
            Replace(current with { Reactions = reaction is null ? reactions : reactions.Add(reaction), Version = version });
            return true;
        });

    public Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(Guid chatId, long beforeSeq, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChatMessage>>(() => [.. Rows(chatId).Where(r => r.Seq < beforeSeq && !r.IsDeleted).TakeLast(limit)]);

    public Task<IReadOnlyList<ChatMessage>> GetAfterAsync(Guid chatId, long afterSeq, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChatMessage>>(() => [.. Rows(chatId).Where(r => r.Seq > afterSeq && !r.IsDeleted).Take(limit)]);

    public Task<IReadOnlyList<ChatMessage>> GetChangedSinceAsync(Guid chatId, long version, int limit, CancellationToken cancellationToken) =>
        Locked<IReadOnlyList<ChatMessage>>(() => [.. Rows(chatId).Where(r => r.Version > version).OrderBy(r => r.Version).Take(limit)]);

    public Task<int> CountUnreadAsync(Guid chatId, Guid userId, long afterSeq, CancellationToken cancellationToken) =>
        Locked(() => Rows(chatId).Count(r => r.Seq > afterSeq && r.SenderId != userId && !r.IsDeleted));

    public Task<IReadOnlyDictionary<Guid, int>> CountBySenderAsync(Guid chatId, long afterSeq, CancellationToken cancellationToken) =>
        Locked<IReadOnlyDictionary<Guid, int>>(() => Rows(chatId)
            .Where(r => r.Seq > afterSeq && !r.IsDeleted)
            .GroupBy(r => r.SenderId)
            .ToDictionary(g => g.Key, g => g.Count()));

    public Task<IReadOnlyDictionary<Guid, long>> GetReadMarkersAsync(Guid chatId, CancellationToken cancellationToken) =>
        Locked<IReadOnlyDictionary<Guid, long>>(() => _readMarkers.Where(p => p.Key.ChatId == chatId).ToDictionary(p => p.Key.UserId, p => p.Value));

    public Task SaveReadMarkerAsync(Guid chatId, Guid userId, long seq, CancellationToken cancellationToken) => Locked(() =>
    {
        _readMarkers[(chatId, userId)] = Math.Max(seq, _readMarkers.GetValueOrDefault((chatId, userId)));
        return true;
    });

    private List<ChatMessage> Rows(Guid chatId, bool create = false)
    {
        if (!_chats.TryGetValue(chatId, out var rows))
        {
            rows = [];
            if (create)
            {
                _chats[chatId] = rows;
            }
        }

        return rows;
    }

    private ChatMessage Current(ChatMessage message) => Rows(message.ChatId)[(int)message.Seq - 1];

    private void Replace(ChatMessage message)
    {
        Rows(message.ChatId)[(int)message.Seq - 1] = message;
        _byId[message.Id] = message;
    }

    private Task<T> Locked<T>(Func<T> action)
    {
        lock (_gate)
        {
            return Task.FromResult(action());
        }
    }
}
