using System.Collections.Immutable;
using Npgsql;
using NpgsqlTypes;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Persistence;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The message log on PostgreSQL. Every statement is parameterized (Npgsql prepares them automatically
/// when pooled and reused) and every page loads its reactions in one extra query, never one per message.
/// A read runs once more when PostgreSQL had ended its connection (<see cref="PostgresReconnection"/>).
/// </summary>
internal sealed partial class PostgresMessageLog(NpgsqlDataSource dataSource, PostgresReconnection reconnection) : IMessageLog, IAsyncDisposable
{
    /// <summary>Every column of a message row, in the order <see cref="ReadMessage"/> and the inserts use.</summary>
    internal const string Columns =
        "id, chat_id, seq, sender_id, sender_username, text, created_at, edited_at, deleted_at, reply_to, client_message_id, version";

    public Task<LogHead> GetHeadAsync(Guid chatId, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT COALESCE(max(seq), 0), COALESCE(max(version), 0) FROM messages WHERE chat_id = $1");
            command.Parameters.Add(Uuid(chatId));
            await using var reader = await command.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            return new LogHead(reader.GetInt64(0), reader.GetInt64(1));
        }, cancellationToken);

    public async Task<ChatMessage?> FindAsync(Guid chatId, Guid messageId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM messages WHERE id = $1 AND chat_id = $2",
            () => [Uuid(messageId), Uuid(chatId)], cancellationToken)).SingleOrDefault();

    public async Task<ChatMessage?> FindByClientIdAsync(Guid chatId, Guid senderId, string clientMessageId, CancellationToken cancellationToken) =>
        (await QueryAsync($"SELECT {Columns} FROM messages WHERE chat_id = $1 AND sender_id = $2 AND client_message_id = $3",
            () => [Uuid(chatId), Uuid(senderId), Text(clientMessageId)], cancellationToken)).SingleOrDefault();

    public Task<Guid?> FindChatIdAsync(Guid messageId, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync<Guid?>(async ct =>
        {
            await using var command = dataSource.CreateCommand("SELECT chat_id FROM messages WHERE id = $1");
            command.Parameters.Add(Uuid(messageId));
            return await command.ExecuteScalarAsync(ct) is Guid chatId ? chatId : null;
        }, cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> GetChangedSinceAsync(Guid chatId, long version, int limit, CancellationToken cancellationToken) =>
        QueryAsync(
            $"SELECT {Columns} FROM messages WHERE chat_id = $1 AND version > $2 ORDER BY version LIMIT $3",
            () => [Uuid(chatId), Long(version), Int(limit)], cancellationToken);

    public Task<int> CountUnreadAsync(Guid chatId, Guid userId, long afterSeq, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT count(*) FROM messages WHERE chat_id = $1 AND seq > $2 AND sender_id <> $3 AND deleted_at IS NULL");
            command.Parameters.Add(Uuid(chatId));
            command.Parameters.Add(Long(afterSeq));
            command.Parameters.Add(Uuid(userId));
            return (int)(long)(await command.ExecuteScalarAsync(ct))!;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<Guid, int>> CountBySenderAsync(Guid chatId, long afterSeq, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync<IReadOnlyDictionary<Guid, int>>(async ct =>
        {
            await using var command = dataSource.CreateCommand(
                "SELECT sender_id, count(*) FROM messages WHERE chat_id = $1 AND seq > $2 AND deleted_at IS NULL GROUP BY sender_id");
            command.Parameters.Add(Uuid(chatId));
            command.Parameters.Add(Long(afterSeq));
            var counts = new Dictionary<Guid, int>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                counts[reader.GetGuid(0)] = (int)reader.GetInt64(1);
            }

            return counts;
        }, cancellationToken);

    public Task<IReadOnlyDictionary<Guid, long>> GetReadMarkersAsync(Guid chatId, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync<IReadOnlyDictionary<Guid, long>>(async ct =>
        {
            await using var command = dataSource.CreateCommand("SELECT user_id, last_read_seq FROM read_markers WHERE chat_id = $1");
            command.Parameters.Add(Uuid(chatId));
            var markers = new Dictionary<Guid, long>();
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                markers[reader.GetGuid(0)] = reader.GetInt64(1);
            }

            return markers;
        }, cancellationToken);

    public ValueTask DisposeAsync() => _inserts.DisposeAsync();

    private async Task<IReadOnlyList<ChatMessage>> QueryAsync(
        string sql, Func<NpgsqlParameter[]> parameters, CancellationToken cancellationToken) =>
        await WithReactionsAsync(await ReadRowsAsync(sql, parameters, cancellationToken), cancellationToken);

    /// <summary>Message rows without their reactions. Parameters are made per run: a parameter belongs to one command.</summary>
    private Task<List<ChatMessage>> ReadRowsAsync(string sql, Func<NpgsqlParameter[]> parameters, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
        {
            var rows = new List<ChatMessage>();
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.AddRange(parameters());
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(ReadMessage(reader));
            }

            return rows;
        }, cancellationToken);

    private async Task<IReadOnlyList<ChatMessage>> WithReactionsAsync(List<ChatMessage> rows, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return rows;
        }

        var byMessage = await reconnection.RunIdempotentAsync(ct => ReadReactionsAsync(rows, ct), cancellationToken);
        return byMessage.Count == 0
            ? rows
            : [.. rows.Select(r => byMessage.TryGetValue(r.Id, out var list) ? r with { Reactions = list.ToImmutable() } : r)];
    }

    private async Task<Dictionary<Guid, ImmutableArray<MessageReaction>.Builder>> ReadReactionsAsync(
        List<ChatMessage> rows, CancellationToken cancellationToken)
    {
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

        return byMessage;
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
