using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using SafeGram.Grains.Hosting;

namespace SafeGram.Grains.Tests.Hosting;

/// <summary>Settings that keep an idle production silo small, and the operator's way to change them.</summary>
public sealed class SiloFootprintTests
{
    [Fact]
    public void DirectoryCache_HoldsAHundredThousandAddresses_NotOrleansMillion()
    {
        using var host = ProductionSilo([]);

        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(100_000, options.CacheSize);
    }

    [Fact]
    public void DirectoryCache_OrleansDirectorySection_OverridesTheSize()
    {
        using var host = ProductionSilo(new() { ["Orleans:Directory:CacheSize"] = "250000" });

        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(250_000, options.CacheSize);
    }

    /// <summary>A production silo's host, built but never started: nothing connects to these addresses.</summary>
    private static IHost ProductionSilo(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            ["ConnectionStrings:postgres"] = "Host=127.0.0.1;Port=1;Username=nobody",
        });
        builder.Configuration.AddInMemoryCollection(settings);
        builder.UseOrleans(silo => silo.UseSafeGramCluster(builder.Configuration));
        return builder.Build();
    }
}
