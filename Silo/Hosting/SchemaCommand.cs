using SafeGram.Grains.Hosting;
using SafeGram.Grains.Persistence;

namespace SafeGram.Silo.Hosting;

/// <summary><c>migrate</c>: applies pending schema scripts to the configured database and exits.</summary>
internal static class SchemaCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddCommandLine(args)
            .Build();
        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(o => o.SingleLine = true));
        var logger = loggers.CreateLogger("SafeGram.Schema");
        try
        {
            var migrator = new SchemaMigrator(loggers.CreateLogger<SchemaMigrator>());
            await migrator.MigrateAsync(configuration.GetRequiredPostgresConnectionString(), CancellationToken.None);
            return 0;
        }
        catch (Exception e)
        {
            logger.LogError(e, "Schema migration failed");
            return 1;
        }
    }
}
