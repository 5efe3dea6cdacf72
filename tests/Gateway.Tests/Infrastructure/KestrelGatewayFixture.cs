using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>
/// The embedded gateway on real Kestrel and a loopback port, for what the in-memory test server skips: connection
/// middleware, raw handshakes, real sockets. One origin is allowed, so that another can be refused.
/// </summary>
public class KestrelGatewayFixture : IAsyncLifetime
{
    public const string AllowedOrigin = "https://app.safegram.example";

    public KestrelGatewayFixture()
        : this(new Dictionary<string, string?>())
    {
    }

    protected KestrelGatewayFixture(IDictionary<string, string?> extraSettings, Action<IServiceCollection>? services = null)
    {
        var port = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}");
        var settings = new Dictionary<string, string?>(extraSettings)
        {
            ["urls"] = BaseAddress.ToString().TrimEnd('/'),
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Passwords:BcryptCost"] = "4",
            ["Cors:AllowedOrigins:0"] = AllowedOrigin,
        };
        Gateway = new GatewayApplication(settings, environment: "Development", services);
        Gateway.UseKestrel();
    }

    public GatewayApplication Gateway { get; }

    public Uri BaseAddress { get; }

    public ApiClient CreateApiClient() => new(new HttpClient { BaseAddress = BaseAddress });

    public Task InitializeAsync()
    {
        Gateway.StartServer();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>The Kestrel-hosted gateway with host filtering narrowed to one name, as an operator may configure it.</summary>
public sealed class NarrowHostsGatewayFixture() : KestrelGatewayFixture(new Dictionary<string, string?> { ["AllowedHosts"] = AllowedHost })
{
    public const string AllowedHost = "gateway.safegram.example";
}

/// <summary>The Kestrel-hosted gateway with its metrics on a port of their own, as the Kubernetes manifests run it.</summary>
public sealed class MetricsPortGatewayFixture : KestrelGatewayFixture
{
    public MetricsPortGatewayFixture()
        : this(FreePorts.Next())
    {
    }

    private MetricsPortGatewayFixture(int metricsPort)
        : base(new Dictionary<string, string?> { ["Metrics:Port"] = metricsPort.ToString(CultureInfo.InvariantCulture) }) =>
        MetricsAddress = new Uri($"http://127.0.0.1:{metricsPort}");

    public Uri MetricsAddress { get; }
}
