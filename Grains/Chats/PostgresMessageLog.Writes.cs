using Npgsql;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Persistence;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Writes. Edits, reactions and read markers set absolute values, so a second run changes nothing: like reads, they
/// run once more when PostgreSQL had ended their connection (<see cref="PostgresReconnection"/>). Only the chat's grain
/// writes its rows, and it awaits each write, so nothing comes between the two runs. A group commit of sends whose
/// connection ended is written again only once the table shows it did not commit (<see cref="MessageRowsInsert"/>).
/// </summary>
internal sealed partial class PostgresMessageLog
{
    private readonly MessageInsertBatcher _inserts =
        new((rows, ct) => MessageRowsInsert.ExecuteAsync(dataSource, reconnection, rows, ct), BlamesARow);

    public Task<bool> InsertAsync(ChatMessage message, CancellationToken cancellationToken) => _inserts.InsertAsync(message);

    /// <summary>SQLSTATE classes 22 (a value refused) and 23 (a constraint, such as a taken seq): what one row can cause.</summary>
    private static bool BlamesARow(Exception error) =>
        error is PostgresException { SqlState: var state }
        && (state.StartsWith("22", StringComparison.Ordinal) || state.StartsWith("23", StringComparison.Ordinal));

    public Task UpdateAsync(ChatMessage message, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
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
            await batch.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task SetReactionAsync(ChatMessage message, Guid userId, MessageReaction? reaction, long version, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
        {
            await using var batch = dataSource.CreateBatch();
            if (reaction is null)
            {
                var remove = new NpgsqlBatchCommand("DELETE FROM reactions WHERE message_id = $1 AND user_id = $2");
                remove.Parameters.Add(Uuid(message.Id));
                remove.Parameters.Add(Uuid(userId));
                batch.BatchCommands.Add(remove);
            }
            else
            {
                // An upsert, not delete-then-insert: a second run must not trip over the row of a first run its connection
                // lost but the server still committed.
                var set = new NpgsqlBatchCommand(
                    "INSERT INTO reactions (message_id, user_id, chat_id, emoji, created_at) VALUES ($1, $2, $3, $4, $5) " +
                    "ON CONFLICT (message_id, user_id) DO UPDATE SET emoji = EXCLUDED.emoji, created_at = EXCLUDED.created_at");
                set.Parameters.Add(Uuid(message.Id));
                set.Parameters.Add(Uuid(userId));
                set.Parameters.Add(Uuid(message.ChatId));
                set.Parameters.Add(Text(reaction.Emoji));
                set.Parameters.Add(Time(reaction.CreatedAt));
                batch.BatchCommands.Add(set);
            }

            var stamp = new NpgsqlBatchCommand("UPDATE messages SET version = $3 WHERE chat_id = $1 AND seq = $2");
            stamp.Parameters.Add(Uuid(message.ChatId));
            stamp.Parameters.Add(Long(message.Seq));
            stamp.Parameters.Add(Long(version));
            batch.BatchCommands.Add(stamp);
            await batch.ExecuteNonQueryAsync(ct);
        }, cancellationToken);

    public Task SaveReadMarkerAsync(Guid chatId, Guid userId, long seq, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
        {
            await using var command = dataSource.CreateCommand(
                "INSERT INTO read_markers (chat_id, user_id, last_read_seq) VALUES ($1, $2, $3) " +
                "ON CONFLICT (chat_id, user_id) DO UPDATE SET last_read_seq = GREATEST(read_markers.last_read_seq, EXCLUDED.last_read_seq)");
            command.Parameters.Add(Uuid(chatId));
            command.Parameters.Add(Uuid(userId));
            command.Parameters.Add(Long(seq));
            await command.ExecuteNonQueryAsync(ct);
        }, cancellationToken);
}
