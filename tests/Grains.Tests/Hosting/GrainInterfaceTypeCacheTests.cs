using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Metadata;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Hosting;

namespace SafeGram.Grains.Tests.Hosting;

/// <summary>The cached grain interface ids must be the very ids Orleans computes, or calls would reach the wrong grain type.</summary>
public sealed class GrainInterfaceTypeCacheTests
{
    private static readonly Type[] GrainInterfaces =
        [.. typeof(IChatGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IAddressable).IsAssignableFrom(t))];

    [Fact]
    public void CachedIds_AreOrleansOwnIds_ForEveryGrainAndObserverInterface()
    {
        using var cached = ClientHost(withCache: true);
        using var plain = ClientHost(withCache: false);
        var cachedResolver = cached.Services.GetRequiredService<GrainInterfaceTypeResolver>();
        var plainResolver = plain.Services.GetRequiredService<GrainInterfaceTypeResolver>();

        Assert.NotEmpty(GrainInterfaces);
        foreach (var type in GrainInterfaces)
        {
            Assert.Equal(plainResolver.GetGrainInterfaceType(type), cachedResolver.GetGrainInterfaceType(type));
            Assert.Equal(plainResolver.GetGrainInterfaceType(type), cachedResolver.GetGrainInterfaceType(type));
        }
    }

    [Fact]
    public void Cache_IsAskedBeforeOrleansProviders_EvenWhenAddedAfterThem()
    {
        using var host = ClientHost(withCache: true);

        var first = host.Services.GetServices<IGrainInterfaceTypeProvider>().First();

        Assert.Equal("CachingGrainInterfaceTypeProvider", first.GetType().Name);
    }

    private static IHost ClientHost(bool withCache)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.UseOrleansClient(client =>
        {
            client.UseLocalhostClustering();
            if (withCache)
            {
                client.Services.AddGrainInterfaceTypeCache();
            }
        });
        return builder.Build();
    }
}
