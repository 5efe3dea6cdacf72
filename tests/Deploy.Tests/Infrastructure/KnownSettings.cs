using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace SafeGram.Deploy.Tests.Infrastructure;

/// <summary>The SafeGram processes a deployment runs.</summary>
public enum App
{
    Silo,
    Gateway,

    /// <summary><c>SafeGram.Silo migrate</c>: the silo image, reading only the PostgreSQL setting.</summary>
    Schema,
}

/// <summary>
/// The configuration surface of the apps, as environment variables: every name a deployment file may
/// set, per process, and the default ports. <c>ConfigurationSurfaceTests</c> ties this list to the
/// settings classes and sources of the apps, so it cannot drift from them silently.
/// </summary>
internal static class KnownSettings
{
    public const int GatewayHttpPort = 8080;
    public const int SiloHttpPort = 8081;
    public const int SiloPort = 11111;
    public const int SiloGatewayPort = 30000;

    /// <summary>Indexed Cors:AllowedOrigins entries: <c>Cors__AllowedOrigins__0</c>, <c>__1</c>, …</summary>
    public const string CorsOriginPrefix = "Cors__AllowedOrigins__";

    /// <summary>Indexed networks whose X-Forwarded-For a gateway trusts: <c>ForwardedHeaders__KnownNetworks__0</c>, …</summary>
    public const string ForwardedNetworkPrefix = "ForwardedHeaders__KnownNetworks__";

    public const string ForwardedHeadersEnabled = "ForwardedHeaders__Enabled";

    /// <summary>The gateway's own port for <c>/metrics</c>; unset, metrics are served on its HTTP port.</summary>
    public const string MetricsPort = "Metrics__Port";

    public static readonly IReadOnlyList<string> PostgresKeys = ["ConnectionStrings__postgres", "DATABASE_URL"];
    public static readonly IReadOnlyList<string> RedisKeys = ["ConnectionStrings__redis", "REDIS_URL"];
    public static readonly IReadOnlyList<string> JwtSecretKeys = ["JWT_SECRET", "Jwt__Secret"];

    /// <summary>Read by every long-running process.</summary>
    public static readonly IReadOnlyList<string> Shared =
    [
        "ASPNETCORE_ENVIRONMENT",
        "PORT",
        "Orleans__ServiceId",
        "Orleans__ClusterId",
        .. PostgresKeys,
        .. RedisKeys,
    ];

    public static readonly IReadOnlyList<string> SiloOnly =
    [
        "Orleans__SiloPort",
        "Orleans__GatewayPort",
        "Orleans__AdvertisedAddress",
    ];

    public static readonly IReadOnlyList<string> GatewayOnly =
    [
        .. JwtSecretKeys,
        "Cluster__Mode",
        "Passwords__BcryptCost",
        ForwardedHeadersEnabled,
        MetricsPort,
    ];

    /// <summary>Every fixed name above, for the cross-checks.</summary>
    public static IEnumerable<string> All => Shared.Concat(SiloOnly).Concat(GatewayOnly);

    public static bool IsKnown(App app, string name) => app switch
    {
        App.Silo => Shared.Contains(name) || SiloOnly.Contains(name),
        App.Gateway => Shared.Contains(name) || GatewayOnly.Contains(name) || IsIndexed(name, CorsOriginPrefix) || IsIndexed(name, ForwardedNetworkPrefix),
        App.Schema => PostgresKeys.Contains(name),
        _ => false,
    };

    public static int DefaultHttpPort(App app) => app == App.Gateway ? GatewayHttpPort : SiloHttpPort;

    /// <summary>An entry of an indexed list setting: the prefix, then a non-negative number.</summary>
    public static bool IsIndexed(string name, string prefix) =>
        name.StartsWith(prefix, StringComparison.Ordinal)
        && int.TryParse(name[prefix.Length..], NumberStyles.None, CultureInfo.InvariantCulture, out _);

    /// <summary>The configuration an app would see for these environment variables (<c>__</c> → <c>:</c>, as the environment provider maps them).</summary>
    public static IConfiguration ToConfiguration(IEnumerable<KeyValuePair<string, string?>> environment) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(environment.Select(variable => KeyValuePair.Create(variable.Key.Replace("__", ":", StringComparison.Ordinal), variable.Value)))
            .Build();

    /// <summary>The port an app serves <c>/metrics</c> on with these settings.</summary>
    public static int MetricsPortOf(App app, IConfiguration configuration) =>
        app == App.Gateway && configuration[MetricsPort.Replace("__", ":", StringComparison.Ordinal)] is { } port
            ? int.Parse(port, CultureInfo.InvariantCulture)
            : HttpPort(app, configuration);

    /// <summary>The HTTP port an app listens on with these settings.</summary>
    public static int HttpPort(App app, IConfiguration configuration) =>
        configuration["PORT"] is { } port ? int.Parse(port, CultureInfo.InvariantCulture) : DefaultHttpPort(app);
}
