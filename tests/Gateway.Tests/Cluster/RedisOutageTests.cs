using System.Diagnostics;
using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;
using Xunit.Abstractions;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// Redis, which holds only the membership table, stops under a running cluster: the cluster keeps serving through the
/// connections it has, and silos say "not ready" before an orchestrator's probe gives up on them.
/// </summary>
public sealed class RedisOutageTests(ITestOutputHelper output)
{
    /// <summary>The readiness probes' timeout in the manifests.</summary>
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RedisDown_SilosSayNotReadyWithinAProbesTimeout_GatewaysStayReadyAndServe()
    {
        await using var redis = await PrivateRedis.StartAsync();
        var cluster = await ClusterConfiguration.CreateAsync() with { Redis = redis.Configuration };
        await using var silo = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster);
        using var api = ClusterProcesses.Api(gateway, TimeSpan.FromSeconds(30));
        var user = await api.RegisterAsync();

        await redis.StopAsync();

        foreach (var (process, expected) in new[] { (silo, HttpStatusCode.ServiceUnavailable), (gateway, HttpStatusCode.OK) })
        {
            // The fastest of three: a stalled test machine may slow one probe past the timeout, not the check itself.
            var fastest = TimeSpan.MaxValue;
            for (var probe = 0; probe < 3; probe++)
            {
                using var probeClient = ClusterProcesses.Api(process, TimeSpan.FromSeconds(30));
                var clock = Stopwatch.StartNew();
                var (status, body) = await probeClient.GetAsync("/health/ready");
                output.WriteLine($"redis-down: {process.Name} ready={(int)status} in {clock.Elapsed.TotalSeconds:F2} s {body}");

                Assert.Equal(expected, status);
                fastest = TimeSpan.FromTicks(Math.Min(fastest.Ticks, clock.Elapsed.Ticks));
            }

            Assert.True(fastest < ProbeTimeout, $"{process.Name} answered its readiness probes after {fastest} at the fastest");
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/api/users/me", user.Token)).Status);

        // A graceful stop would wait for the Redis that is gone.
        silo.Kill();
        gateway.Kill();
    }
}
