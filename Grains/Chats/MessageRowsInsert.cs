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
    /// A statement whose first answer is PostgreSQL saying it ends the connection (as a restart says to every pooled
    /// one) produced nothing and did not commit: it is sent once more on a new connection. Any other failure leaves the
    /// outcome unknown, and the rows fail.
    /// </remarks>
    public static async Task<bool[]> ExecuteAsync(
        NpgsqlDataSource dataSource, PostgresReconnection reconnection, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var command = Command(dataSource, messages);
            NpgsqlDataReader reader;
            try
            {
                reader = await command.ExecuteReaderAsync(cancellationToken);
            }
            catch (Exception e) when (PostgresReconnection.IsEndedConnection(e))
            {
                reconnection.Reconnect(e);
                if (attempt == 1 && PostgresReconnection.IsEndedByServer(e))
                {
                    continue;
                }

                throw;
            }

            var inserted = new HashSet<Guid>(messages.Count);
            await using (reader)
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    inserted.Add(reader.GetGuid(0));
                }
            }

            // Rows stream back before the commit; the reader is closed (ReadyForQuery, after the commit) before anyone is answered.
            return [.. messages.Select(m => inserted.Contains(m.Id))];
        }
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
