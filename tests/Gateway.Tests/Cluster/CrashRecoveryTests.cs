using System.Diagnostics;
using SafeGram.TestSupport;
using Xunit.Abstractions;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// The production topology as real processes (2 silos, 2 gateways, PostgreSQL, Redis) while clients keep
/// sending: SIGKILL a silo, later SIGKILL a gateway. Every acknowledged message must reach every member —
/// live or by the client's own catch-up — and the cluster must serve again within 10 s of each kill.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan RecoveryLimit = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(15);

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
}
