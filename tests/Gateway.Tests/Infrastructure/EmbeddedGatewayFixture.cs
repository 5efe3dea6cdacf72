using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>The embedded default: the gateway co-hosts its silo, storage in memory, Development environment.</summary>
public sealed class EmbeddedGatewayFixture : IAsyncLifetime
{
    public GatewayApplication Gateway { get; } = CreateGateway();

    /// <summary>An embedded gateway of its own, on free ports, configured like the shared one.</summary>
    public static GatewayApplication CreateGateway(Action<IServiceCollection>? services = null) => new(new Dictionary<string, string?>
    {
        ["Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        ["Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
        ["Passwords:BcryptCost"] = "4",
        ["RateLimits:Send:Burst"] = "1000",
    }, environment: "Development", services);

    public Task InitializeAsync()
    {
        Gateway.CreateClient().Dispose();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class EmbeddedGatewayCollection : ICollectionFixture<EmbeddedGatewayFixture>
{
    public const string Name = nameof(EmbeddedGatewayCollection);
}
