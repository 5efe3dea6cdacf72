using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SafeGram.Grains.Hosting;

namespace SafeGram.Grains.Tests.Hosting;

/// <summary>A production silo's host, built but never started: nothing connects to these addresses.</summary>
internal static class ProductionSiloHost
{
    public static IHost Build(Dictionary<string, string?> settings)
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
