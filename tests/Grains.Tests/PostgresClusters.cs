using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using SafeGram.Grains.Hosting;

namespace SafeGram.Grains.Tests;

/// <summary>Short-lived clusters on a given database, for restart tests (a fixed ServiceId keys the stored state).</summary>
internal static class PostgresClusters
{
    public static async Task<InProcessTestCluster> StartAsync(string database, short silos, string serviceId)
    {
        var builder = new InProcessTestClusterBuilder(silos);
        builder.Options.ServiceId = serviceId;
        var configuration = new ConfigurationBuilder().Build();
        builder.ConfigureSilo((_, silo) => silo.AddSafeGramGrains(configuration, database));
        var cluster = builder.Build();
        await cluster.DeployAsync(CancellationToken.None);
        return cluster;
    }
}
