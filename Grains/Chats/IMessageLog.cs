using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Durable storage of every chat's messages, reactions and read markers. Only the chat's grain writes
/// a chat's rows, so implementations need no cross-writer coordination beyond the unique indexes.
/// A chat's seq runs 1, 2, 3… without gaps: rows are only ever appended, and a delete leaves a tombstone.
/// </summary>
public interface IMessageLog
{
    /// <summary>The highest seq and version stamped on any row of the chat (0 when empty).</summary>
    Task<LogHead> GetHeadAsync(Guid chatId, CancellationToken cancellationToken);

    /// <summary>The rows with seq from <paramref name="fromSeq"/> to <paramref name="toSeq"/>, tombstones included, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetRowsAsync(Guid chatId, long fromSeq, long toSeq, CancellationToken cancellationToken);

    /// <summary>Inserts the row; <c>false</c> when the sender already used its client message id in this chat.</summary>
    Task<bool> InsertAsync(ChatMessage message, CancellationToken cancellationToken);

    Task<ChatMessage?> FindAsync(Guid chatId, Guid messageId, CancellationToken cancellationToken);

    Task<ChatMessage?> FindByClientIdAsync(Guid chatId, Guid senderId, string clientMessageId, CancellationToken cancellationToken);

    Task<Guid?> FindChatIdAsync(Guid messageId, CancellationToken cancellationToken);

    /// <summary>Stores an edit or a delete (text, edited/deleted time, version); a delete also drops the reactions.</summary>
    Task UpdateAsync(ChatMessage message, CancellationToken cancellationToken);

    /// <summary>Sets (or with <c>null</c> removes) one user's reaction and stamps the message with <paramref name="version"/>.</summary>
    Task SetReactionAsync(ChatMessage message, Guid userId, MessageReaction? reaction, long version, CancellationToken cancellationToken);

    /// <summary>Undeleted messages with seq below <paramref name="beforeSeq"/>, the newest <paramref name="limit"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(Guid chatId, long beforeSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Undeleted messages with seq above <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetAfterAsync(Guid chatId, long afterSeq, int limit, CancellationToken cancellationToken);

    /// <summary>Rows created or changed after <paramref name="version"/>, tombstones included, in version order.</summary>
    Task<IReadOnlyList<ChatMessage>> GetChangedSinceAsync(Guid chatId, long version, int limit, CancellationToken cancellationToken);

    /// <summary>Undeleted messages from others with seq above <paramref name="afterSeq"/>.</summary>
    Task<int> CountUnreadAsync(Guid chatId, Guid userId, long afterSeq, CancellationToken cancellationToken);

    /// <summary>
    /// Undeleted messages with seq above <paramref name="afterSeq"/>, counted by sender: the unread counts of every user
    /// who has read up to there, from one pass over the chat.
    /// </summary>
    Task<IReadOnlyDictionary<Guid, int>> CountBySenderAsync(Guid chatId, long afterSeq, CancellationToken cancellationToken);

    Task<IReadOnlyDictionary<Guid, long>> GetReadMarkersAsync(Guid chatId, CancellationToken cancellationToken);

    Task SaveReadMarkerAsync(Guid chatId, Guid userId, long seq, CancellationToken cancellationToken);
}

public readonly record struct LogHead(long LastSeq, long LastVersion);
