using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using SafeGram.Gateway.Hosting;
using SafeGram.TestSupport;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// The gateway reads the membership rows that Orleans.Clustering.Redis writes without that package's reader: held
/// here to the rows of real silos, so that a package upgrade which changes them fails the suite.
/// </summary>
public sealed class RedisMembershipGatewayListTests
{
    [Fact]
    public async Task ListsTheGatewayOfEveryActiveSilo_AndDropsASiloThatStopped()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var first = await SiloHost.StartAsync(cluster);
        await using var second = await SiloHost.StartAsync(cluster);
        await using var gateways = CreateList(cluster);
        await gateways.InitializeGatewayListProvider();

        var listed = await gateways.GetGateways();
        Assert.Equal(new[] { first.GatewayPort, second.GatewayPort }.Order(), listed.Select(uri => uri.Port).Order());
        Assert.All(listed, uri => Assert.Equal("127.0.0.1", uri.Host));

        await second.StopAsync();
        Assert.Equal(new[] { first.GatewayPort }, (await gateways.GetGateways()).Select(uri => uri.Port));
    }

    [Fact]
    public async Task SkipsARowItCannotRead_AndStillListsTheOthers()
    {
        // A real silo's rows, copied beside an unreadable one into a table no silo uses: a silo that found the
        // unreadable row in its own table would fail its membership refreshes.
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var silo = await SiloHost.StartAsync(cluster);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis);
        var database = redis.GetDatabase();
        var copy = cluster with { ClusterId = TestInfrastructure.NewClusterId() };
        var copyTable = RedisClusteringOptions.DefaultCreateRedisKey(ClusterOptionsOf(copy));
        await database.HashSetAsync(copyTable, await database.HashGetAllAsync(RedisClusteringOptions.DefaultCreateRedisKey(ClusterOptionsOf(cluster))));
        await database.HashSetAsync(copyTable, "S10.0.0.9:11111:1", "{\"Status\":3,\"ProxyPort\":");
        await using var gateways = CreateList(copy);

        var listed = await gateways.GetGateways();

        Assert.Equal(new[] { silo.GatewayPort }, listed.Select(uri => uri.Port));
        await database.KeyDeleteAsync(copyTable);
    }

    [Theory]
    [InlineData(6, 30000)]
    [InlineData(3, 0)]
    public void ARowOfASiloThatIsNotActiveOrHasNoGateway_ListsNothing(int status, int proxyPort)
    {
        var row = $"{{\"SiloAddress\":{{\"SiloAddress\":\"127.0.0.1:11111@5\"}},\"Status\":{status},\"ProxyPort\":{proxyPort}}}";

        Assert.Null(RedisMembershipGatewayList.ReadActiveGateway(Encoding.UTF8.GetBytes(row)));
    }

    private static RedisMembershipGatewayList CreateList(ClusterConfiguration cluster) =>
        new(cluster.Redis, Options.Create(ClusterOptionsOf(cluster)), Options.Create(new GatewayOptions()),
            NullLogger<RedisMembershipGatewayList>.Instance);

    internal static ClusterOptions ClusterOptionsOf(ClusterConfiguration cluster) =>
        new() { ServiceId = cluster.ToSettings()["Orleans:ServiceId"]!, ClusterId = cluster.ClusterId };
}
