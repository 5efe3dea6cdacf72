using System.Diagnostics;
using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;
using Xunit.Abstractions;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// The production topology as real processes (2 silos, 2 gateways, PostgreSQL, Redis) while clients keep
/// sending: SIGKILL a silo, later SIGKILL a gateway. Every acknowledged message must reach every member —
/// live or by the client's own catch-up — and the cluster must serve again within 10 s of each kill. And a gateway
/// whose only connected silo dies must find the one it has not met yet.
/// </summary>
[Collection(RecoveryTimingCollection.Name)]
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Failure detection (~3–4 s) plus, at worst, one call caught on the dead silo until its 7 s timeout; before the
    /// gateway let calls through without a connection, it never served again (30 s of 503 and counting).
    /// </summary>
    private static readonly TimeSpan FailoverLimit = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AcknowledgedMessages_SurviveSiloAndGatewayCrashes()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        var silos = new[] { await ClusterProcesses.StartSiloAsync(cluster), await ClusterProcesses.StartSiloAsync(cluster) };
        var gateways = new[] { await ClusterProcesses.StartGatewayAsync(cluster), await ClusterProcesses.StartGatewayAsync(cluster) };
        try
        {
            var scenario = await ClusterScenario.PrepareAsync(gateways, users: 6, chats: 4, RequestTimeout);
            var clock = Stopwatch.StartNew();
            var load = scenario.SendUntilAsync(TimeSpan.FromSeconds(24), clock);

            await Task.Delay(TimeSpan.FromSeconds(4));
            var siloKilledAt = clock.Elapsed;
            silos[0].Kill();

            await Task.Delay(TimeSpan.FromSeconds(10));
            var gatewayKilledAt = clock.Elapsed;
            gateways[1].Kill();
            await scenario.ReconnectOrphansAsync(gateways[0]);

            await load;
            var report = await scenario.VerifyAsync(gateways[0]);
            var siloRecovery = scenario.RecoveryAfter(siloKilledAt);
            var gatewayRecovery = scenario.RecoveryAfter(gatewayKilledAt);
            output.WriteLine(
                $"crash-test: attempted={report.Attempted} acknowledged={report.Acknowledged} deliveries_expected={report.Expected} " +
                $"delivered_live={report.Live} recovered_by_catchup={report.Recovered} lost={report.Lost} duplicate_frames={report.DuplicateFrames} " +
                $"silo_recovery_s={siloRecovery.TotalSeconds:F2} gateway_recovery_s={gatewayRecovery.TotalSeconds:F2} " +
                $"slowest_request_s={scenario.SlowestRequest.TotalSeconds:F2}");

            report.AssertNothingLost();
            Assert.True(siloRecovery < RecoveryLimit, $"sends failed for {siloRecovery} after the silo kill");
            Assert.True(gatewayRecovery < RecoveryLimit, $"sends failed for {gatewayRecovery} after the gateway kill");
            Assert.True(scenario.SlowestRequest < RequestTimeout, $"a request took {scenario.SlowestRequest}");
        }
        finally
        {
            foreach (var process in gateways.Concat(silos))
            {
                await process.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task SiloCrash_TheGatewayMovesToASiloThatJoinedAfterIt()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var first = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster);
        // The gateway reads the silo list once a minute: it has met only the first silo when that one dies.
        await using var second = await ClusterProcesses.StartSiloAsync(cluster);
        using var api = ClusterProcesses.Api(gateway, RequestTimeout);
        var user = await api.RegisterAsync();

        var clock = Stopwatch.StartNew();
        first.Kill();
        var statuses = new List<HttpStatusCode>();
        var answeredAt = new List<double>();
        while (clock.Elapsed < 2 * FailoverLimit)
        {
            var (status, _) = await api.GetAsync("/api/users/me", user.Token);
            statuses.Add(status);
            answeredAt.Add(clock.Elapsed.TotalSeconds);
            if (status == HttpStatusCode.OK)
            {
                break;
            }

            await Task.Delay(250);
        }

        var recovery = clock.Elapsed;
        output.WriteLine($"silo-failover: recovery_s={recovery.TotalSeconds:F2} answers={string.Join(',', statuses.Zip(answeredAt, (s, t) => $"{(int)s}@{t:F1}s"))}");
        Assert.Equal(HttpStatusCode.OK, statuses[^1]);
        Assert.All(statuses[..^1], status => Assert.Equal(HttpStatusCode.ServiceUnavailable, status));
        Assert.True(recovery < FailoverLimit, $"the gateway served again only {recovery} after the silo kill");

        // With no silo left, calls still fail promptly (the client's timeout is the longest they may take), and readiness says so.
        second.Kill();
        var (withoutSilos, _) = await api.GetAsync("/api/users/me", user.Token);
        var (readiness, _) = await api.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, withoutSilos);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness);
    }
}
