using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SafeGram.Grains.Hosting;

namespace SafeGram.TestSupport;

/// <summary>A production-configured silo (Redis membership, PostgreSQL state) hosted in the test process.</summary>
public sealed class SiloHost : IAsyncDisposable
{
    private readonly IHost _host;

    private SiloHost(IHost host, int gatewayPort)
    {
        _host = host;
        GatewayPort = gatewayPort;
    }

    public int GatewayPort { get; }

    public static async Task<SiloHost> StartAsync(ClusterConfiguration cluster)
    {
        var gatewayPort = FreePorts.Next();
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(cluster.ToSettings(siloPort: FreePorts.Next(), gatewayPort: gatewayPort));
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.UseOrleans(silo => silo.UseSafeGramCluster(builder.Configuration));
        var host = builder.Build();
        await host.StartAsync();
        return new SiloHost(host, gatewayPort);
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _host.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _host.Dispose();
    }
}
