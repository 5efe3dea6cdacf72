using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using StackExchange.Redis;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// Ends a silo whose own row has gone from the Redis membership table while Redis itself answers — Redis restarted
/// without its data, or the key was deleted. Orleans cannot recover from that on its own: without the table's version
/// field every update it tries fails, so the silo stays up, believes itself active, and no gateway can find it, for
/// good. Ended the way Orleans ends a silo it finds declared dead, it is restarted by its orchestrator and joins again,
/// writing the table anew. An unreachable Redis proves nothing and is only waited out.
/// </summary>
internal sealed partial class MembershipRowWatchdog(
    IOptions<RedisClusteringOptions> redis,
    IOptions<ClusterOptions> cluster,
    ILocalSiloDetails silo,
    IClusterMembershipService membership,
    IFatalErrorHandler fatalErrors,
    ILogger<MembershipRowWatchdog> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Consecutive checks that must find no row: a moment's absence is not a table lost.</summary>
    private const int MissesToEnd = 3;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var table = redis.Value.CreateRedisKey(cluster.Value);
        (IConnectionMultiplexer Multiplexer, bool IsShared)? connection = null;
        using var timer = new PeriodicTimer(Interval);
        try
        {
            var misses = 0;
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                if (membership.CurrentSnapshot.GetSiloStatus(silo.SiloAddress) != SiloStatus.Active)
                {
                    misses = 0;   // still joining, or leaving: its row may rightly be absent or changing
                    continue;
                }

                try
                {
                    connection ??= await redis.Value.CreateMultiplexer(redis.Value);
                    misses = await IsListedAsync(connection.Value.Multiplexer.GetDatabase(), table) ? 0 : misses + 1;
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // Redis unreachable, slow, or its connection torn down under the call (seen as RedisException,
                    // TimeoutException, TaskCanceledException or InvalidOperationException): nothing learned about the
                    // row. Escaping, any of them would end the silo as a failed hosted service. The next check starts
                    // from a new connection rather than trust one that failed this way.
                    misses = 0;
                    LogCheckFailed(logger, e.GetType().Name, e.Message);
                    await ReleaseAsync(connection);
                    connection = null;
                }

                if (misses == MissesToEnd)
                {
                    LogRowLost(logger, silo.SiloAddress, table.ToString());
                    fatalErrors.OnFatalException(this, nameof(MembershipRowWatchdog),
                        new InvalidOperationException($"Silo {silo.SiloAddress} is no longer in the membership table {table}."));
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            await ReleaseAsync(connection);
        }
    }

    private static async ValueTask ReleaseAsync((IConnectionMultiplexer Multiplexer, bool IsShared)? connection)
    {
        if (connection is { IsShared: false } owned)
        {
            await owned.Multiplexer.DisposeAsync();
        }
    }

    private async Task<bool> IsListedAsync(IDatabase database, RedisKey table)
    {
        foreach (var row in await database.HashGetAllAsync(table))
        {
            if (row.Name != RedisMembershipRow.VersionField
                && RedisMembershipRow.TryParse(row.Value, out _) is { } parsed && parsed.Silo.Equals(silo.SiloAddress))
            {
                return true;
            }
        }

        return false;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership row check learned nothing ({Error}: {Detail}); the next one reconnects to Redis")]
    private static partial void LogCheckFailed(ILogger logger, string error, string detail);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {Silo} is no longer listed in the membership table {Table} though Redis answers; ending the silo so that it is restarted and joins again")]
    private static partial void LogRowLost(ILogger logger, SiloAddress silo, string table);
}
