using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace SafeGram.Grains.Tests.Hosting;

/// <summary>Settings that keep an idle production silo small, and the operator's way to change them.</summary>
public sealed class SiloFootprintTests
{
    [Fact]
    public void DirectoryCache_HoldsAHundredThousandAddresses_NotOrleansMillion()
    {
        using var host = ProductionSiloHost.Build([]);

        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(100_000, options.CacheSize);
    }

    [Fact]
    public void DirectoryCache_OrleansDirectorySection_OverridesTheSize()
    {
        using var host = ProductionSiloHost.Build(new() { ["Orleans:Directory:CacheSize"] = "250000" });

        var options = host.Services.GetRequiredService<IOptions<GrainDirectoryOptions>>().Value;

        Assert.Equal(250_000, options.CacheSize);
    }
}
