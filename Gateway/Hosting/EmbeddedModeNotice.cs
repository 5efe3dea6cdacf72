namespace SafeGram.Gateway.Hosting;

/// <summary>Says once, loudly, that the embedded mode keeps everything in memory.</summary>
internal sealed partial class EmbeddedModeNotice(ILogger<EmbeddedModeNotice> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        LogNotPersisted(logger);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Embedded mode: a silo runs inside this gateway with in-memory storage. NOTHING IS PERSISTED; configure PostgreSQL and Redis for production.")]
    private static partial void LogNotPersisted(ILogger logger);
}
