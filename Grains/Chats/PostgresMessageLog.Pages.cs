using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Pages are read as seq ranges. For a chat whose size it underestimates (any chat outside the column statistics'
/// most common values, when most chats are small), PostgreSQL plans <c>ORDER BY seq DESC LIMIT n</c> as a bitmap
/// scan of every row of the chat and a sort: activating a chat with 3,000 messages read all 3,000. A range of seq,
/// which is gap-free, bounds every query by its width whatever the plan; pages skip tombstones by reading on.
/// </summary>
internal sealed partial class PostgresMessageLog
{
    /// <summary>The fewest rows a page reads at once, so that a short page over many tombstones takes few queries.</summary>
    private const int MinRangeRows = 64;

    private const string RangeSql = $"SELECT {Columns} FROM messages WHERE chat_id = $1 AND seq BETWEEN $2 AND $3 ORDER BY seq";

    public async Task<IReadOnlyList<ChatMessage>> GetRowsAsync(Guid chatId, long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        toSeq < 1 ? [] : await WithReactionsAsync(await ReadRangeAsync(chatId, fromSeq, toSeq, cancellationToken), cancellationToken);

    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(Guid chatId, long beforeSeq, int limit, CancellationToken cancellationToken)
    {
        var width = Math.Max(limit, MinRangeRows);
        var newestFirst = new List<ChatMessage>(limit);
        for (var to = beforeSeq - 1; to >= 1 && newestFirst.Count < limit; to -= width)
        {
            var rows = await ReadRangeAsync(chatId, to - width + 1, to, cancellationToken);
            newestFirst.AddRange(Enumerable.Reverse(rows).Where(m => !m.IsDeleted).Take(limit - newestFirst.Count));
        }

        newestFirst.Reverse();
        return await WithReactionsAsync(newestFirst, cancellationToken);
    }

    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(Guid chatId, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        var width = Math.Max(limit, MinRangeRows);
        var page = new List<ChatMessage>(limit);
        for (var from = afterSeq + 1; page.Count < limit; from += width)
        {
            var rows = await ReadRangeAsync(chatId, from, from + width - 1, cancellationToken);
            if (rows.Count == 0)
            {
                break;   // past the newest row
            }

            page.AddRange(rows.Where(m => !m.IsDeleted).Take(limit - page.Count));
        }

        return await WithReactionsAsync(page, cancellationToken);
    }

    private Task<List<ChatMessage>> ReadRangeAsync(Guid chatId, long fromSeq, long toSeq, CancellationToken cancellationToken) =>
        ReadRowsAsync(RangeSql, () => [Uuid(chatId), Long(Math.Max(1, fromSeq)), Long(toSeq)], cancellationToken);
}
