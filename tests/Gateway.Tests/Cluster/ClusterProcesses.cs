using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>Starts Silo and Gateway processes of one test cluster and waits until they are ready.</summary>
internal static class ClusterProcesses
{
    public static async Task<AppProcess> StartSiloAsync(ClusterConfiguration cluster, bool dashboard = false)
    {
        var settings = cluster.ToSettings(siloPort: FreePorts.Next(), gatewayPort: FreePorts.Next());
        settings["Dashboard:Enabled"] = dashboard ? "true" : "false";
        var silo = AppProcess.Start("Silo", settings);
        await silo.WaitUntilHealthyAsync("/health/ready");
        return silo;
    }

    /// <summary>A gateway whose send limit never interferes with load from a handful of test users, with any <paramref name="extra"/> settings.</summary>
    public static async Task<AppProcess> StartGatewayAsync(ClusterConfiguration cluster, IReadOnlyDictionary<string, string?>? extra = null)
    {
        var settings = cluster.ToSettings();
        settings["RateLimits:Send:Burst"] = "100000";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        var gateway = AppProcess.Start("Gateway", settings);
        await gateway.WaitUntilHealthyAsync("/health/ready");
        return gateway;
    }

    /// <summary>A client of one process's HTTP endpoint whose requests give up after <paramref name="timeout"/>.</summary>
    public static ApiClient Api(AppProcess process, TimeSpan timeout) =>
        new(new HttpClient { BaseAddress = process.BaseAddress, Timeout = timeout });
}
