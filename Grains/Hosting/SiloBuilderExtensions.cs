using System.Diagnostics.CodeAnalysis;
using System.Net;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Storage;
using SafeGram.Grains.Abstractions.Common;
using SafeGram.Grains.Accounts;
using SafeGram.Grains.Chats;
using SafeGram.Grains.Persistence;
using SafeGram.Grains.Security;
using SafeGram.Grains.Users;

namespace SafeGram.Grains.Hosting;

/// <summary>The one place that decides what a SafeGram silo runs, whether it is hosted by Silo or co-hosted by Gateway.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Production: membership in Redis, grain state and tables in PostgreSQL.</summary>
    public static ISiloBuilder UseSafeGramCluster(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new();
        var advertised = settings.ResolveAdvertisedAddress();

        silo.Configure<ClusterOptions>(options =>
        {
            options.ServiceId = settings.ServiceId;
            options.ClusterId = settings.ClusterId;
        });
        silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, listenOnAnyHostAddress: !IPAddress.IsLoopback(advertised));
        silo.UseRedisClustering(configuration.GetRequiredRedisConnectionString());
        silo.Services.AddHostedService<MembershipRowWatchdog>();
        silo.ConfigureFailureDetection(configuration);
        silo.ConfigureDirectoryCache(configuration);
        return silo.AddSafeGramGrains(configuration, configuration.GetRequiredPostgresConnectionString());
    }

    /// <summary>Development: one co-hosted silo, localhost clustering, nothing persisted.</summary>
    public static ISiloBuilder UseSafeGramEmbedded(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new();
        silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, null, settings.ServiceId, settings.ClusterId);
        return silo.AddSafeGramGrains(configuration, postgresConnectionString: null);
    }

    /// <summary>
    /// Declares a crashed silo dead in about 3–4 s instead of Orleans' default ~15 s (1 s probes, 3 misses),
    /// so its grains are re-activated elsewhere and the cluster serves again well within 10 s.
    /// Section <c>Orleans:Membership</c> (any <see cref="ClusterMembershipOptions"/> property) overrides it.
    /// </summary>
    private static void ConfigureFailureDetection(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<ClusterMembershipOptions>(options =>
        {
            options.ProbeTimeout = TimeSpan.FromSeconds(1);
            options.NumMissedProbesLimit = 3;
            options.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(10);
            options.TableRefreshTimeout = TimeSpan.FromSeconds(10);
        });
        silo.Services.Configure<ClusterMembershipOptions>(configuration.GetSection("Orleans:Membership"));
        // A call into a dead silo fails by timeout at worst; keep that well under a client's patience.
        silo.Configure<SiloMessagingOptions>(options => options.ResponseTimeout = TimeSpan.FromSeconds(7));
    }

    /// <summary>
    /// Orleans sizes each grain-directory cache for a million entries up front (~9 MB each, two per silo, before a
    /// single grain runs). A hundred thousand remote addresses per silo is plenty for our grains, and a miss costs only
    /// a directory lookup. Section <c>Orleans:Directory</c> (any <see cref="GrainDirectoryOptions"/> property) overrides it.
    /// </summary>
    private static void ConfigureDirectoryCache(this ISiloBuilder silo, IConfiguration configuration)
    {
        silo.Configure<GrainDirectoryOptions>(options => options.CacheSize = 100_000);
        silo.Services.Configure<GrainDirectoryOptions>(configuration.GetSection("Orleans:Directory"));
    }

    /// <summary>The message log's statements repeat endlessly; let Npgsql prepare them unless the operator chose otherwise.</summary>
    private static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (builder.MaxAutoPrepare == 0)
        {
            builder.MaxAutoPrepare = 64;
            builder.AutoPrepareMinUsages = 2;
        }

        return builder.ConnectionString;
    }

    /// <summary>Grain storage and the services grains depend on; PostgreSQL when a connection string is given, memory otherwise.</summary>
    /// <remarks>
    /// Orleans' ADO.NET storage checks its data source against the provider it finds for the <c>Npgsql</c> invariant by
    /// type name, so a trimmed publish must keep <see cref="NpgsqlFactory"/> (without it the silo dies at start-up:
    /// "Unable to load type").
    /// </remarks>
    [DynamicDependency(DynamicallyAccessedMemberTypes.PublicFields, typeof(NpgsqlFactory))]
    public static ISiloBuilder AddSafeGramGrains(this ISiloBuilder silo, IConfiguration configuration, string? postgresConnectionString)
    {
        var services = silo.Services;
        services.AddGrainInterfaceTypeCache();
        services.AddDatabaseExceptionSerialization();
        services.TryAddSingleton(TimeProvider.System);
        services.Configure<LoginThrottleOptions>(configuration.GetSection(LoginThrottleOptions.SectionName));
        services.AddSingleton<SessionExpirySweep>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<SessionExpirySweep>());
        // Plain JSON state survives renames of classes and assemblies, unlike the default Newtonsoft payload.
        services.AddSingleton<IGrainStorageSerializer, SystemTextJsonGrainStorageSerializer>();

        if (postgresConnectionString is null)
        {
            silo.AddMemoryGrainStorage(StorageNames.Main);
            services.AddSingleton<IAccountStore, InMemoryAccountStore>();
            services.AddSingleton<IMessageLog, InMemoryMessageLog>();
            return silo;
        }

        postgresConnectionString = PostgresPooling.WithDefaults(postgresConnectionString);
        services.AddSingleton(_ => NpgsqlDataSource.Create(WithAutoPrepare(postgresConnectionString)));
        // A pool of the silo's own, not Npgsql's process-wide one for the connection string: the silo empties it after a
        // restart and closes it when it stops.
        services.AddKeyedSingleton(ReconnectingGrainStorage.InnerName, (_, _) => NpgsqlDataSource.Create(postgresConnectionString));
        // The real clock, not the grains' TimeProvider: a test that stops the grains' time must not stop reconnecting.
        services.AddSingleton(sp => new PostgresReconnection(
            sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredKeyedService<NpgsqlDataSource>(ReconnectingGrainStorage.InnerName),
            TimeProvider.System,
            sp.GetRequiredService<ILogger<PostgresReconnection>>()));
        services.AddSingleton<IAccountStore, PostgresAccountStore>();
        services.AddSingleton<IMessageLog, PostgresMessageLog>();
        services.AddSingleton<SchemaMigrator>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp =>
            new SchemaMigrationParticipant(sp.GetRequiredService<SchemaMigrator>(), postgresConnectionString));
        silo.AddAdoNetGrainStorage(ReconnectingGrainStorage.InnerName, options => options
            .Configure<IServiceProvider>((storage, sp) =>
            {
                storage.Invariant = "Npgsql";
                storage.DataSource = sp.GetRequiredKeyedService<NpgsqlDataSource>(ReconnectingGrainStorage.InnerName);
            }));
        services.AddKeyedSingleton<IGrainStorage>(StorageNames.Main, (sp, _) => new ReconnectingGrainStorage(
            sp.GetRequiredKeyedService<IGrainStorage>(ReconnectingGrainStorage.InnerName),
            sp.GetRequiredService<PostgresReconnection>(),
            sp.GetRequiredService<IGrainStorageSerializer>()));
        return silo;
    }
}
