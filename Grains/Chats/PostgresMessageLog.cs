using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The message log on PostgreSQL. Every statement is parameterized (Npgsql prepares them automatically
/// when pooled and reused) and every page loads its reactions in one extra query, never one per message.
/// </summary>
internal sealed partial class PostgresMessageLog(NpgsqlDataSource dataSource) : IMessageLog, IAsyncDisposable
{
    /// <summary>Every column of a message row, in the order <see cref="ReadMessage"/> and the inserts use.</summary>
    internal const string Columns =
        "id, chat_id, seq, sender_id, sender_username, text, created_at, edited_at, deleted_at, reply_to, client_message_id, version";

    private readonly MessageInsertBatcher _inserts = new((rows, ct) => MessageRowsInsert.ExecuteAsync(dataSource, rows, ct), BlamesARow);

    public async Task<LogHead> GetHeadAsync(Guid chatId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT COALESCE(max(seq), 0), COALESCE(max(version), 0) FROM messages WHERE chat_id = $1");
        command.Parameters.Add(Uuid(chatId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new LogHead(reader.GetInt64(0), reader.GetInt64(1));
    }

    public Task<bool> InsertAsync(ChatMessage message, CancellationToken cancellationToken) => _inserts.InsertAsync(message);

    /// <summary>SQLSTATE classes 22 (a value refused) and 23 (a constraint, such as a taken seq): what one row can cause.</summary>
    private static bool BlamesARow(Exception error) =>
        error is PostgresException { SqlState: var state }
        && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal));

    public async Task<ChatMessage?> FindAsync(Guid chatId, Guid messageId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM messages WHERE id = $1 AND chat_id = $2",
            [Uuid(messageId), Uuid(chatId)], cancellationToken)).SingleOrDefault();

    public async Task<ChatMessage?> FindByClientIdAsync(Guid chatId, Guid senderId, string clientMessageId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM messages WHERE chat_id = $1 AND sender_id = $2 AND client_message_id = $3",
            [Uuid(chatId), Uuid(senderId), Text(clientMessageId)], cancellationToken)).SingleOrDefault();

    public async Task<Guid?> FindChatIdAsync(Guid messageId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT chat_id FROM messages WHERE id = $1");
        command.Parameters.Add(Uuid(messageId));
        return await command.ExecuteScalarAsync(cancellationToken) is Guid chatId ? chatId : null;
    }

    public async Task UpdateAsync(ChatMessage message, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var update = new NpgsqlBatchCommand(
            "UPDATE messages SET text = $3, edited_at = $4, deleted_at = $5, version = $6 WHERE chat_id = $1 AND seq = $2");
        update.Parameters.Add(Uuid(message.ChatId));
        update.Parameters.Add(Long(message.Seq));
        update.Parameters.Add(Text(message.IsDeleted ? null : message.Text));
        update.Parameters.Add(Time(message.EditedAt));
        update.Parameters.Add(Time(message.DeletedAt));
        update.Parameters.Add(Long(message.Version));
        batch.BatchCommands.Add(update);
        if (message.IsDeleted)
        {
            var dropReactions = new NpgsqlBatchCommand("DELETE FROM reactions WHERE message_id = $1");
            dropReactions.Parameters.Add(Uuid(message.Id));
            batch.BatchCommands.Add(dropReactions);
        }

        // A batch runs as one implicit transaction: both statements or neither.
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task SetReactionAsync(ChatMessage message, Guid userId, MessageReaction? reaction, long version, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        var remove = new NpgsqlBatchCommand("DELETE FROM reactions WHERE message_id = $1 AND user_id = $2");
        remove.Parameters.Add(Uuid(message.Id));
        remove.Parameters.Add(Uuid(userId));
        batch.BatchCommands.Add(remove);
        if (reaction is not null)
        {
            var add = new NpgsqlBatchCommand(
                "INSERT INTO reactions (message_id, user_id, chat_id, emoji, created_at) VALUES ($1, $2, $3, $4, $5)");
            add.Parameters.Add(Uuid(message.Id));
            add.Parameters.Add(Uuid(userId));
            add.Parameters.Add(Uuid(message.ChatId));
            add.Parameters.Add(Text(reaction.Emoji));
            add.Parameters.Add(Time(reaction.CreatedAt));
            batch.BatchCommands.Add(add);
        }

        var stamp = new NpgsqlBatchCommand("UPDATE messages SET version = $3 WHERE chat_id = $1 AND seq = $2");
        stamp.Parameters.Add(Uuid(message.ChatId));
        stamp.Parameters.Add(Long(message.Seq));
        stamp.Parameters.Add(Long(version));
        batch.BatchCommands.Add(stamp);
        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<ChatMessage>> GetChangedSinceAsync(Guid chatId, long version, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM messages WHERE chat_id = $1 AND version > $2 ORDER BY version LIMIT $3",
            [Uuid(chatId), Long(version), Int(limit)], cancellationToken);

    public async Task<int> CountUnreadAsync(Guid chatId, Guid userId, long afterSeq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "SELECT count(*) FROM messages WHERE chat_id = $1 AND seq > $2 AND sender_id <> $3 AND deleted_at IS NULL");
        command.Parameters.Add(Uuid(chatId));
        command.Parameters.Add(Long(afterSeq));
        command.Parameters.Add(Uuid(userId));
        return (int)(long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<IReadOnlyDictionary<Guid, long>> GetReadMarkersAsync(Guid chatId, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT user_id, last_read_seq FROM read_markers WHERE chat_id = $1");
        command.Parameters.Add(Uuid(chatId));
        var markers = new Dictionary<Guid, long>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            markers[reader.GetGuid(0)] = reader.GetInt64(1);
        }

        return markers;
    }

    public async Task SaveReadMarkerAsync(Guid chatId, Guid userId, long seq, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO read_markers (chat_id, user_id, last_read_seq) VALUES ($1, $2, $3) " +
            "ON CONFLICT (chat_id, user_id) DO UPDATE SET last_read_seq = GREATEST(read_markers.last_read_seq, EXCLUDED.last_read_seq)");
        command.Parameters.Add(Uuid(chatId));
        command.Parameters.Add(Uuid(userId));
        command.Parameters.Add(Long(seq));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public ValueTask DisposeAsync() => _inserts.DisposeAsync();

    private async Task<IReadOnlyList<ChatMessage>> QueryAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken) =>
        await WithReactionsAsync(await ReadRowsAsync(sql, parameters, cancellationToken), cancellationToken);

    /// <summary>Message rows without their reactions.</summary>
    private async Task<List<ChatMessage>> ReadRowsAsync(string sql, NpgsqlParameter[] parameters, CancellationToken cancellationToken)
    {
        var rows = new List<ChatMessage>();
        await using var command = dataSource.CreateCommand(sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadMessage(reader));
        }

        return rows;
    }

    private async Task<IReadOnlyList<ChatMessage>> WithReactionsAsync(List<ChatMessage> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        await using var command = dataSource.CreateCommand(
            "SELECT message_id, user_id, emoji, created_at FROM reactions WHERE message_id = ANY($1) ORDER BY created_at");
        command.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. rows.Select(r => r.Id)] });
        var byMessage = new Dictionary<Guid, ImmutableArray<MessageReaction>.Builder>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var messageId = reader.GetGuid(0);
            if (!byMessage.TryGetValue(messageId, out var list))
            {
                byMessage[messageId] = list = ImmutableArray.CreateBuilder<MessageReaction>();
            }

            list.Add(new MessageReaction(reader.GetGuid(1), reader.GetString(2), reader.GetFieldValue<DateTimeOffset>(3)));
        }

        return byMessage.Count == 0
            ? rows
            : [.. rows.Select(r => byMessage.TryGetValue(r.Id, out var list) ? r with { Reactions = list.ToImmutable() } : r)];
    }

    private static ChatMessage ReadMessage(NpgsqlDataReader reader) => new(
        Id: reader.GetGuid(0),
        ChatId: reader.GetGuid(1),
        Seq: reader.GetInt64(2),
        SenderId: reader.GetGuid(3),
        SenderUsername: reader.GetString(4),
        Text: reader.IsDBNull(5) ? "" : reader.GetString(5),
        CreatedAt: reader.GetFieldValue<DateTimeOffset>(6),
        EditedAt: reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
        DeletedAt: reader.IsDBNull(8) ? null : reader.GetFieldValue<DateTimeOffset>(8),
        ReplyTo: reader.IsDBNull(9) ? null : reader.GetGuid(9),
        ClientMessageId: reader.IsDBNull(10) ? null : reader.GetString(10),
        Version: reader.GetInt64(11),
        Reactions: []);

    private static NpgsqlParameter Uuid(Guid value) => new NpgsqlParameter<Guid> { TypedValue = value };

    private static NpgsqlParameter Uuid(Guid? value) => new() { NpgsqlDbType = NpgsqlDbType.Uuid, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Long(long value) => new NpgsqlParameter<long> { TypedValue = value };

    private static NpgsqlParameter Int(int value) => new NpgsqlParameter<int> { TypedValue = value };

    private static NpgsqlParameter Text(string? value) => new() { NpgsqlDbType = NpgsqlDbType.Text, Value = (object?)value ?? DBNull.Value };

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { NpgsqlDbType = NpgsqlDbType.TimestampTz, Value = value is { } v ? v.ToUniversalTime() : DBNull.Value };
}
