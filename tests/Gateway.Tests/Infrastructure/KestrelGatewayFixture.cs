using System.Globalization;
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

    protected KestrelGatewayFixture(IDictionary<string, string?> extraSettings)
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
        Gateway = new GatewayApplication(settings, environment: "Development");
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
