using System.Diagnostics;
using Npgsql;

namespace SafeGram.TestSupport;

/// <summary>
/// The throwaway PostgreSQL and Redis that <c>test.sh</c> starts. Tests never fall back to in-memory
/// stand-ins: without them the suite fails with an explanation.
/// </summary>
public static class TestInfrastructure
{
    public static string PostgresAdmin => Require("SAFEGRAM_TEST_POSTGRES");

    public static string Redis => Require("SAFEGRAM_TEST_REDIS");

    /// <summary>A fresh, empty database, so each fixture sees only its own data.</summary>
    public static async Task<string> CreateDatabaseAsync()
    {
        var name = "sg_" + Guid.NewGuid().ToString("N")[..16];
        await ExecuteAsync(PostgresAdmin, $"CREATE DATABASE {name}");
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>Runs <paramref name="sql"/> (one or more statements) on its own connection, as a test arranges a database.</summary>
    public static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The first column of the first row <paramref name="sql"/> returns, as a test reads a database.</summary>
    public static async Task<T> QueryScalarAsync<T>(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>
    /// The application names of the client connections open to <paramref name="database"/> (an autovacuum worker is not
    /// one), sorted, asked from the administrator's database so that asking adds none.
    /// </summary>
    public static Task<string[]> ConnectionsToAsync(string database) =>
        QueryScalarAsync<string[]>(PostgresAdmin,
            "SELECT array(SELECT application_name FROM pg_stat_activity " +
            $"WHERE datname = '{new NpgsqlConnectionStringBuilder(database).Database}' AND backend_type = 'client backend' " +
            "ORDER BY 1)::text[]");

    /// <summary>
    /// The connections still open to <paramref name="database"/> once closed ones have had up to ten seconds to leave:
    /// PostgreSQL lists a backend until its process has exited, a moment after its client closed it.
    /// </summary>
    public static async Task<string[]> ConnectionsLeftAsync(string database)
    {
        var patience = Stopwatch.StartNew();
        while (true)
        {
            var names = await ConnectionsToAsync(database);
            if (names.Length == 0 || patience.Elapsed > TimeSpan.FromSeconds(10))
            {
                return names;
            }

            await Task.Delay(50);
        }
    }

    /// <summary>A cluster id nobody else uses, so Redis membership of other tests never interferes.</summary>
    public static string NewClusterId() => "test-" + Guid.NewGuid().ToString("N")[..12];

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Run the suite with ./test.sh, which starts PostgreSQL and Redis for it.");
}
