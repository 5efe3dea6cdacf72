using Npgsql;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Persistence;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Inserts many messages with one statement: each column travels as one array and PostgreSQL unnests them
/// into rows, so a group commit of N sends is one statement and one executor run instead of N.
/// A retried send (same chat, sender and client message id) is skipped, not failed; the statement is atomic.
/// </summary>
internal static class MessageRowsInsert
{
    private const string Sql =
        $"INSERT INTO messages ({PostgresMessageLog.Columns}) " +
        "SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::bigint[], $4::uuid[], $5::text[], $6::text[], " +
        "$7::timestamptz[], $8::timestamptz[], $9::timestamptz[], $10::uuid[], $11::text[], $12::bigint[]) " +
        "ON CONFLICT (chat_id, sender_id, client_message_id) WHERE client_message_id IS NOT NULL DO NOTHING " +
        "RETURNING id";

    /// <summary>For each message, in order: <c>true</c> if its row was inserted, <c>false</c> if its client message id was already used.</summary>
    /// <remarks>
    /// When the connection ends under the statement (a restart, a failover, a dropped connection), whether it committed
    /// is unknown; the statement is atomic and its message ids are new, so the table tells: rows of the batch there mean
    /// it committed; none, that it did not yet (it may still run at the server) or that every row was a retried send,
    /// which a rerun skips again — then it runs again on a new connection (<see cref="PostgresReconnection.RunCheckedWriteAsync{T}"/>).
    /// </remarks>
    public static Task<bool[]> ExecuteAsync(
        NpgsqlDataSource dataSource, PostgresReconnection reconnection, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken) =>
        reconnection.RunCheckedWriteAsync(
            ct => InsertAsync(dataSource, messages, ct),
            async ct =>
            {
                var stored = await StoredIdsAsync(dataSource, messages, ct);
                return (stored.Count > 0, Stored(messages, stored));
            },
            cancellationToken);

    private static async Task<bool[]> InsertAsync(NpgsqlDataSource dataSource, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        await using var command = Command(dataSource, messages);

        // Rows stream back before the commit; the reader is closed (ReadyForQuery, after the commit) before anyone is answered.
        return Stored(messages, await ReadIdsAsync(command, messages.Count, cancellationToken));
    }

    private static bool[] Stored(IReadOnlyList<ChatMessage> messages, HashSet<Guid> storedIds) => [.. messages.Select(m => storedIds.Contains(m.Id))];

    private static async Task<HashSet<Guid>> StoredIdsAsync(
        NpgsqlDataSource dataSource, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT id FROM messages WHERE id = ANY($1)");
        command.Parameters.Add(Column(messages, m => m.Id));
        return await ReadIdsAsync(command, messages.Count, cancellationToken);
    }

    private static async Task<HashSet<Guid>> ReadIdsAsync(NpgsqlCommand command, int capacity, CancellationToken cancellationToken)
    {
        var ids = new HashSet<Guid>(capacity);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private static NpgsqlCommand Command(NpgsqlDataSource dataSource, IReadOnlyList<ChatMessage> messages)
    {
        var command = dataSource.CreateCommand(Sql);
        command.Parameters.Add(Column(messages, m => m.Id));
        command.Parameters.Add(Column(messages, m => m.ChatId));
        command.Parameters.Add(Column(messages, m => m.Seq));
        command.Parameters.Add(Column(messages, m => m.SenderId));
        command.Parameters.Add(Column(messages, m => m.SenderUsername));
        command.Parameters.Add(Column(messages, m => m.Text));
        command.Parameters.Add(Column(messages, m => m.CreatedAt.ToUniversalTime()));
        command.Parameters.Add(Column(messages, m => m.EditedAt?.ToUniversalTime()));
        command.Parameters.Add(Column(messages, m => m.DeletedAt?.ToUniversalTime()));
        command.Parameters.Add(Column(messages, m => m.ReplyTo));
        command.Parameters.Add(Column(messages, m => m.ClientMessageId));
        command.Parameters.Add(Column(messages, m => m.Version));
        return command;
    }

    private static NpgsqlParameter<T[]> Column<T>(IReadOnlyList<ChatMessage> messages, Func<ChatMessage, T> value)
    {
        var column = new T[messages.Count];
        for (var i = 0; i < column.Length; i++)
        {
            column[i] = value(messages[i]);
        }

        return new NpgsqlParameter<T[]> { TypedValue = column };
    }
}
