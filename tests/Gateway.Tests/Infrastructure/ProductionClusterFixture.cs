using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>
/// The production topology in one test process: two silos (Redis membership, PostgreSQL state)
/// and two gateways running as Orleans clients.
/// </summary>
public sealed class ProductionClusterFixture : IAsyncLifetime
{
    private readonly List<SiloHost> _silos = [];

    public ClusterConfiguration Cluster { get; private set; } = null!;

    public GatewayApplication GatewayA { get; private set; } = null!;

    public GatewayApplication GatewayB { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Cluster = await ClusterConfiguration.CreateAsync();
        _silos.Add(await SiloHost.StartAsync(Cluster));
        _silos.Add(await SiloHost.StartAsync(Cluster));
        GatewayA = CreateGateway(Cluster);
        GatewayB = CreateGateway(Cluster);
        // Start both now, so tests do not pay for it.
        GatewayA.CreateClient().Dispose();
        GatewayB.CreateClient().Dispose();
    }

    public static GatewayApplication CreateGateway(ClusterConfiguration cluster)
    {
        var settings = cluster.ToSettings();
        settings["Cors:AllowedOrigins:0"] = TestOrigins.Allowed;
        settings["RateLimits:Send:Burst"] = "1000";
        return new GatewayApplication(settings);
    }

    public async Task DisposeAsync()
    {
        await GatewayA.DisposeAsync();
        await GatewayB.DisposeAsync();
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class ProductionClusterCollection : ICollectionFixture<ProductionClusterFixture>
{
    public const string Name = nameof(ProductionClusterCollection);
}

public static class TestOrigins
{
    public const string Allowed = "http://localhost:5173";
    public const string Foreign = "http://evil.example";
}
