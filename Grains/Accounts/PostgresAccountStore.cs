using Npgsql;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Persistence;

namespace SafeGram.Grains.Accounts;

/// <summary>
/// Accounts on PostgreSQL. Look-ups run once more when their connection had ended (<see cref="PostgresReconnection"/>).
/// A registration whose connection ended may have committed, and running it again would refuse the name as taken by
/// itself; its user id is new, so looking that id up tells which happened.
/// </summary>
internal sealed class PostgresAccountStore(NpgsqlDataSource dataSource, PostgresReconnection reconnection) : IAccountStore
{
    private const string Columns = "user_id, username, email, password_hash, created_at";

    public Task<RegisterStatus> CreateAsync(AccountRecord account, CancellationToken cancellationToken) =>
        reconnection.RunCheckedWriteAsync(
            ct => InsertAsync(account, ct),
            async ct => await FindByIdAsync(account.UserId, ct) is not null ? (true, RegisterStatus.Created) : (false, default),
            cancellationToken);

    public Task<AccountRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken) =>
        FindOneAsync($"SELECT {Columns} FROM accounts WHERE username_key = $1", Usernames.Normalize(username), cancellationToken);

    public Task<AccountRecord?> FindByIdAsync(Guid userId, CancellationToken cancellationToken) =>
        FindOneAsync($"SELECT {Columns} FROM accounts WHERE user_id = $1", userId, cancellationToken);

    public Task<IReadOnlyList<AccountRecord>> SearchAsync(string query, int limit, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(ct => SearchOnceAsync(query, limit, ct), cancellationToken);

    private async Task<RegisterStatus> InsertAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO accounts (user_id, username, username_key, email, email_key, password_hash, created_at) " +
            "VALUES ($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new() { Value = account.UserId });
        command.Parameters.Add(new() { Value = account.Username });
        command.Parameters.Add(new() { Value = Usernames.Normalize(account.Username) });
        command.Parameters.Add(new() { Value = (object?)account.Email ?? DBNull.Value });
        command.Parameters.Add(new() { Value = (object?)EmailKey(account.Email) ?? DBNull.Value });
        command.Parameters.Add(new() { Value = account.PasswordHash });
        command.Parameters.Add(new() { Value = account.CreatedAt });
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            return RegisterStatus.Created;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
        {
            return e.ConstraintName == "accounts_email_key_uq" ? RegisterStatus.EmailTaken : RegisterStatus.UsernameTaken;
        }
    }

    private async Task<IReadOnlyList<AccountRecord>> SearchOnceAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var key = Usernames.Normalize(query);
        var literal = EscapeLike(key);
        await using var command = dataSource.CreateCommand(
            $"SELECT {Columns} FROM accounts WHERE username_key LIKE $2 ESCAPE '\\' " +
            "ORDER BY CASE WHEN username_key = $1 THEN 0 WHEN username_key LIKE $3 ESCAPE '\\' THEN 1 ELSE 2 END, username_key " +
            "LIMIT $4");
        command.Parameters.Add(new() { Value = key });
        command.Parameters.Add(new() { Value = "%" + literal + "%" });
        command.Parameters.Add(new() { Value = literal + "%" });
        command.Parameters.Add(new() { Value = limit });

        var accounts = new List<AccountRecord>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(Read(reader));
        }

        return accounts;
    }

    private Task<AccountRecord?> FindOneAsync<TKey>(string sql, TKey key, CancellationToken cancellationToken) =>
        reconnection.RunIdempotentAsync(async ct =>
        {
            await using var command = dataSource.CreateCommand(sql);
            command.Parameters.Add(new NpgsqlParameter<TKey> { TypedValue = key });
            await using var reader = await command.ExecuteReaderAsync(ct);
            return await reader.ReadAsync(ct) ? Read(reader) : null;
        }, cancellationToken);

    private static AccountRecord Read(NpgsqlDataReader reader) => new(
        reader.GetGuid(0),
        reader.GetString(1),
        reader.IsDBNull(2) ? null : reader.GetString(2),
        reader.GetString(3),
        reader.GetFieldValue<DateTimeOffset>(4));

    private static string? EmailKey(string? email) => email?.Trim().ToLowerInvariant();

    private static string EscapeLike(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal)
             .Replace("%", "\\%", StringComparison.Ordinal)
             .Replace("_", "\\_", StringComparison.Ordinal);
}
