using Microsoft.Extensions.Configuration;
using Orleans.TestingHost;
using SafeGram.Grains.Hosting;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests;

/// <summary>Two silos sharing one fresh PostgreSQL database: grain state and tables are real.</summary>
public sealed class PostgresClusterFixture : IAsyncLifetime
{
    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        ConnectionString = await TestInfrastructure.CreateDatabaseAsync();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 2);
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["LoginThrottle:PerUsername:MaxFailures"] = "3",
            ["LoginThrottle:PerUsername:Window"] = "00:01:00",
        }).Build();
        builder.ConfigureSilo((_, silo) => silo.AddSafeGramGrains(configuration, ConnectionString));
        Cluster = builder.Build();
        await Cluster.DeployAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class PostgresClusterCollection : ICollectionFixture<PostgresClusterFixture>
{
    public const string Name = nameof(PostgresClusterCollection);
}
