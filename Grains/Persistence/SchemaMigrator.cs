using DbUp;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeGram.Grains.Persistence;

/// <summary>
/// Applies the embedded, numbered SQL scripts once each (journaled by DbUp). Silos run it at start
/// and operators run it before a rollout; an advisory lock lets many silos start at once safely.
/// </summary>
public sealed partial class SchemaMigrator(ILogger<SchemaMigrator> logger)
{
    // Any constant works; it only has to be the same for every process migrating this database.
    private const long MigrationLockId = 0x5AFE_6A4A;

    public async Task MigrateAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Once per start: its connections close when it is done, not idle in a pool for the life of the process.
        connectionString = new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString;
        EnsureDatabase.For.PostgresqlDatabase(connectionString, new NoOpUpgradeLog());

        await using var lockConnection = new NpgsqlConnection(connectionString);
        await lockConnection.OpenAsync(cancellationToken);
        await using (var acquire = new NpgsqlCommand("SELECT pg_advisory_lock(@id)", lockConnection))
        {
            acquire.Parameters.AddWithValue("id", MigrationLockId);
            await acquire.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            var upgrader = DeployChanges.To
                .PostgresqlDatabase(connectionString)
                .WithScriptsEmbeddedInAssembly(typeof(SchemaMigrator).Assembly, name => name.EndsWith(".sql", StringComparison.Ordinal))
                .WithTransactionPerScript()
                .WithVariablesDisabled()
                .LogTo(new MicrosoftUpgradeLog(logger))
                .Build();

            var pending = upgrader.GetScriptsToExecute();
            if (pending.Count == 0)
            {
                LogUpToDate(logger);
                return;
            }

            var result = upgrader.PerformUpgrade();
            if (!result.Successful)
            {
                throw new InvalidOperationException(
                    $"Schema migration failed in script '{result.ErrorScript?.Name}': {result.Error.Message}", result.Error);
            }

            LogApplied(logger, pending.Count, string.Join(", ", pending.Select(s => s.Name)));
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock(@id)", lockConnection);
            release.Parameters.AddWithValue("id", MigrationLockId);
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date")]
    private static partial void LogUpToDate(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied {Count} schema script(s): {Scripts}")]
    private static partial void LogApplied(ILogger logger, int count, string scripts);
}
