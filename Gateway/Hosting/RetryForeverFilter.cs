namespace SafeGram.Gateway.Hosting;

/// <summary>
/// Keeps looking for the cluster until the host stops, backing off to a few seconds between tries.
/// The gateway answers 503 meanwhile instead of exiting or blocking its HTTP listener.
/// </summary>
internal sealed partial class RetryForeverFilter(ILogger<RetryForeverFilter> logger) : IClientConnectionRetryFilter
{
    private static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);
    private int _attempt;

    public async Task<bool> ShouldRetryConnectionAttempt(Exception exception, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        _attempt++;
        LogRetry(logger, _attempt, exception.Message);
        var delay = TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, 250 * _attempt));
        await Task.Delay(delay, cancellationToken);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster not reachable (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogRetry(ILogger logger, int attempt, string reason);
}
