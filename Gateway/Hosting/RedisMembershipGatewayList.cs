using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using Orleans.Messaging;
using SafeGram.Grains.Hosting;
using StackExchange.Redis;

namespace SafeGram.Gateway.Hosting;

/// <summary>
/// The gateways of the silos that the cluster's Redis membership table lists as active: what the Orleans client
/// connects to. The silos keep that table through Orleans.Clustering.Redis; its own client-side reader deserializes
/// whole rows with Newtonsoft.Json, whose built-in converters load XML, ADO.NET and expression trees into every
/// gateway (~5 MB of an idle one), so the gateway reads the three fields it needs itself. The tests hold this reader
/// to the rows that real silos write.
/// </summary>
internal sealed partial class RedisMembershipGatewayList(
    string redisConfiguration,
    IOptions<ClusterOptions> cluster,
    IOptions<GatewayOptions> gateway,
    ILogger<RedisMembershipGatewayList> logger) : IGatewayListProvider, IAsyncDisposable
{
    private readonly RedisKey _table = RedisClusteringOptions.DefaultCreateRedisKey(cluster.Value);
    private readonly SemaphoreSlim _connecting = new(1, 1);
    private ConnectionMultiplexer? _redis;

    public TimeSpan MaxStaleness => gateway.Value.GatewayListRefreshPeriod;

    [Obsolete("Orleans no longer reads it: every provider is refreshed.")]
    public bool IsUpdatable => true;

    public Task InitializeGatewayListProvider() => ConnectAsync();

    public async Task<IList<Uri>> GetGateways()
    {
        var redis = await ConnectAsync();
        var rows = await redis.GetDatabase().HashGetAllAsync(_table);
        var gateways = new List<Uri>(rows.Length);
        foreach (var row in rows)
        {
            if (row.Name == RedisMembershipRow.VersionField)
            {
                continue;
            }

            if (RedisMembershipRow.TryParse(row.Value, out var unreadable) is not { } parsed)
            {
                LogUnreadableRow(logger, row.Name.ToString(), unreadable!);
            }
            else if (ActiveGateway(parsed) is { } address)
            {
                gateways.Add(address.ToGatewayUri());
            }
        }

        return gateways;
    }

    /// <summary>The gateway address of an active silo's row, or <c>null</c> for a silo that is not active or has no gateway (or an unreadable row).</summary>
    internal static SiloAddress? ReadActiveGateway(ReadOnlyMemory<byte> row) =>
        RedisMembershipRow.TryParse(row, out _) is { } parsed ? ActiveGateway(parsed) : null;

    private static SiloAddress? ActiveGateway(RedisMembershipRow row) =>
        row is { Status: SiloStatus.Active, ProxyPort: > 0 }
            ? SiloAddress.New(row.Silo.Endpoint.Address, row.ProxyPort, row.Silo.Generation)
            : null;

    private async Task<ConnectionMultiplexer> ConnectAsync()
    {
        if (_redis is { } connected)
        {
            return connected;
        }

        await _connecting.WaitAsync();
        try
        {
            return _redis ??= await ConnectionMultiplexer.ConnectAsync(redisConfiguration);
        }
        finally
        {
            _connecting.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_redis is { } redis)
        {
            await redis.DisposeAsync();
        }

        _connecting.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Skipped membership row {Silo}: not in the form Orleans.Clustering.Redis writes")]
    private static partial void LogUnreadableRow(ILogger logger, string silo, Exception exception);
}
