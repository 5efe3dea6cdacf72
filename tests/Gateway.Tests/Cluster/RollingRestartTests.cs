using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using SafeGram.TestSupport;
using Xunit.Abstractions;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// A rolling restart as Kubernetes does it (SIGTERM, then a replacement) of a silo and a gateway while
/// clients keep sending: nothing acknowledged is lost, no request fails with a 5xx other than a retried 503,
/// and the gateway's sockets are closed with 1001 so clients reconnect elsewhere.
/// </summary>
public sealed class RollingRestartTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RollingRestart_LosesNothing_AndDrainsSockets()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        var processes = new List<AppProcess> { await ClusterProcesses.StartSiloAsync(cluster), await ClusterProcesses.StartSiloAsync(cluster) };
        var gateways = new[] { await ClusterProcesses.StartGatewayAsync(cluster), await ClusterProcesses.StartGatewayAsync(cluster) };
        processes.AddRange(gateways);
        try
        {
            var scenario = await ClusterScenario.PrepareAsync(gateways, users: 4, chats: 3, TimeSpan.FromSeconds(15));
            var clock = Stopwatch.StartNew();
            var load = scenario.SendUntilAsync(TimeSpan.FromSeconds(22), clock);

            await Task.Delay(TimeSpan.FromSeconds(3));
            await processes[0].StopAsync();
            processes.Add(await ClusterProcesses.StartSiloAsync(cluster));

            await gateways[1].StopAsync();
            await scenario.ReconnectOrphansAsync(gateways[0]);
            processes.Add(await ClusterProcesses.StartGatewayAsync(cluster));

            await load;
            var report = await scenario.VerifyAsync(gateways[0]);
            var serverErrors = scenario.FailedStatuses.Where(s => (int)s >= 500 && s != HttpStatusCode.ServiceUnavailable).ToList();
            output.WriteLine(
                $"rolling-restart: acknowledged={report.Acknowledged} delivered_live={report.Live} recovered_by_catchup={report.Recovered} " +
                $"lost={report.Lost} retried_503={scenario.FailedStatuses.Count(s => s == HttpStatusCode.ServiceUnavailable)} " +
                $"other_5xx={serverErrors.Count} socket_closes=[{string.Join(',', scenario.LostSocketCloses)}]");

            report.AssertNothingLost();
            Assert.Empty(serverErrors);
            Assert.NotEmpty(scenario.LostSocketCloses);
            Assert.All(scenario.LostSocketCloses, status => Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, status));
        }
        finally
        {
            foreach (var process in processes)
            {
                await process.DisposeAsync();
            }
        }
    }
}
