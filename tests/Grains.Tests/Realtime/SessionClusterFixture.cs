using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SafeGram.Grains.Hosting;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>One silo on PostgreSQL whose clock the tests move, so subscription expiry is tested without waiting.</summary>
public sealed class SessionClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        var configuration = new ConfigurationBuilder().Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.AddSafeGramGrains(configuration, database);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SessionClusterCollection : ICollectionFixture<SessionClusterFixture>
{
    public const string Name = nameof(SessionClusterCollection);
}
