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
        var configuration = redis.Value.ConfigurationOptions
            ?? throw new InvalidOperationException("Redis clustering is configured without a connection.");
        IConnectionMultiplexer? connection = null;
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
                    connection ??= await ConnectionMultiplexer.ConnectAsync(configuration);
                    misses = await IsListedAsync(connection.GetDatabase(), table) ? 0 : misses + 1;
                }
                catch (Exception e) when (e is RedisException or TimeoutException)
                {
                    misses = 0;   // Redis unreachable or slow: nothing learned about the row
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
            if (connection is not null)
            {
                await connection.DisposeAsync();
            }
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

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {Silo} is no longer listed in the membership table {Table} though Redis answers; ending the silo so that it is restarted and joins again")]
    private static partial void LogRowLost(ILogger logger, SiloAddress silo, string table);
}
