using System.Diagnostics;
using System.Net;
using Orleans.Clustering.Redis;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;
using Xunit.Abstractions;
using ConnectionMultiplexer = StackExchange.Redis.ConnectionMultiplexer;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// Redis loses the membership table while the cluster runs (restarted without its data, or the key deleted): Orleans
/// cannot write a table that has no version, so before the watchdog the silo stayed up, reported ready, and no
/// gateway could find it ever again. Now it ends itself, and once restarted — by its orchestrator, here by the test —
/// the cluster serves again.
/// </summary>
public sealed class MembershipLossTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task MembershipTableLost_TheSiloEndsItself_AndARestartedOneServesAgain()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var silo = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster);
        using var api = ClusterProcesses.Api(gateway, TimeSpan.FromSeconds(15));
        var user = await api.RegisterAsync();

        await using (var redis = await ConnectionMultiplexer.ConnectAsync(cluster.Redis))
        {
            var table = RedisClusteringOptions.DefaultCreateRedisKey(RedisMembershipGatewayListTests.ClusterOptionsOf(cluster));
            Assert.True(await redis.GetDatabase().KeyDeleteAsync(table));
        }

        var clock = Stopwatch.StartNew();
        while (!silo.HasExited && clock.Elapsed < Patience)
        {
            await Task.Delay(250);
        }

        var endedAfter = clock.Elapsed;
        Assert.True(silo.HasExited, $"the silo still runs {Patience} after its membership row was lost");
        await silo.WaitForExitAsync();

        await using var restarted = await ClusterProcesses.StartSiloAsync(cluster);
        clock.Restart();
        HttpStatusCode status;
        do
        {
            (status, _) = await api.GetAsync("/api/users/me", user.Token);
        }
        while (status != HttpStatusCode.OK && clock.Elapsed < Patience && await Delay());

        output.WriteLine($"membership-loss: silo_ended_after_s={endedAfter.TotalSeconds:F1} served_after_restart_s={clock.Elapsed.TotalSeconds:F1}");
        Assert.Contains("no longer listed in the membership table", silo.Output, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(250);
        return true;
    }
}
