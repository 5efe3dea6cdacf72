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
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>A cluster id nobody else uses, so Redis membership of other tests never interferes.</summary>
    public static string NewClusterId() => "test-" + Guid.NewGuid().ToString("N")[..12];

    private static string Require(string variable) =>
        Environment.GetEnvironmentVariable(variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{variable} is not set. Run the suite with ./test.sh, which starts PostgreSQL and Redis for it.");
}
