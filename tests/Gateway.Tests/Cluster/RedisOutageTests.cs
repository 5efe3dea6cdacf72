using System.Diagnostics;
using System.Net;
using SafeGram.TestSupport;
using Xunit.Abstractions;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// Redis stops under a running cluster: silos and gateways must say "not ready" before an orchestrator's readiness
/// probe gives up on them (3 s in the manifests). With the Redis client's default timeouts they took 5.2–5.4 s.
/// </summary>
public sealed class RedisOutageReadinessTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(3);

    [Fact]
    public async Task RedisDown_SiloAndGatewaySayNotReady_WithinAProbesTimeout()
    {
        await using var redis = await PrivateRedis.StartAsync();
        var cluster = await ClusterConfiguration.CreateAsync() with { Redis = redis.Configuration };
        await using var silo = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster);

        await redis.StopAsync();

        foreach (var process in new[] { silo, gateway, silo, gateway })
        {
            using var http = new HttpClient { BaseAddress = process.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
            var clock = Stopwatch.StartNew();
            using var response = await http.GetAsync("/health/ready");
            output.WriteLine($"redis-down: {process.Name} ready={(int)response.StatusCode} in {clock.Elapsed.TotalSeconds:F2} s {await response.Content.ReadAsStringAsync()}");

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.True(clock.Elapsed < ProbeTimeout, $"{process.Name} answered its readiness probe after {clock.Elapsed}");
        }

        // A graceful stop would wait for the Redis that is gone.
        silo.Kill();
        gateway.Kill();
    }
}
