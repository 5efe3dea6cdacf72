using Orleans.Configuration;
using Orleans.Messaging;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Hosting;

internal static partial class ClusterHostingExtensions
{
    public static WebApplicationBuilder AddSafeGramCluster(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var mode = ResolveMode(configuration);
        builder.Services.AddSingleton<ClusterAvailability>();
        builder.Services.AddSingleton<IClusterConnectionStatusObserver>(sp => sp.GetRequiredService<ClusterAvailability>());

        if (mode == ClusterMode.Embedded)
        {
            builder.UseOrleans(silo => silo.UseSafeGramEmbedded(configuration));
            builder.Services.AddHostedService<EmbeddedModeNotice>();
            return builder;
        }

        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new();
        builder.UseOrleansClient(client =>
        {
            client.Configure<ClusterOptions>(options =>
            {
                options.ServiceId = settings.ServiceId;
                options.ClusterId = settings.ClusterId;
            });
            client.Services.AddSingleton<IGatewayListProvider>(services =>
                ActivatorUtilities.CreateInstance<RedisMembershipGatewayList>(services, configuration.GetRequiredRedisConnectionString()));
            client.Configure<ClientMessagingOptions>(options => options.ResponseTimeout = GrainCallTimeout);
            client.UseConnectionRetryFilter<RetryForeverFilter>();
            client.Services.AddGrainInterfaceTypeCache();
            client.Services.AddDatabaseExceptionSerialization();
        });

        // Kestrel must listen (and answer 503) while the client is still looking for a silo:
        // the Orleans client's start blocks until it connects.
        builder.Services.Configure<HostOptions>(options => options.ServicesStartConcurrently = true);
        return builder;
    }

    /// <summary>A grain call that has not answered by then is reported as 503, never left hanging.</summary>
    public static readonly TimeSpan GrainCallTimeout = TimeSpan.FromSeconds(7);

    private static ClusterMode ResolveMode(IConfiguration configuration)
    {
        if (configuration.GetValue<ClusterMode?>("Cluster:Mode") is { } explicitMode)
        {
            return explicitMode;
        }

        return configuration.GetRedisConnectionString() is null ? ClusterMode.Embedded : ClusterMode.Client;
    }
}
