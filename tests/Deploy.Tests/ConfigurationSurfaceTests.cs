using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using SafeGram.Deploy.Tests.Infrastructure;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Hosting;
using SafeGram.Grains.Hosting;

namespace SafeGram.Deploy.Tests;

/// <summary>
/// Ties <see cref="KnownSettings"/> (the names deployment files may set) to the apps' own settings
/// classes and sources, so that a renamed or added setting shows up here before it breaks a deployment.
/// </summary>
public sealed partial class ConfigurationSurfaceTests
{
    [Fact]
    public void OrleansKeys_AreExactlyTheClusterSettingsProperties()
    {
        var prefix = ClusterSettings.SectionName + "__";
        var listed = KnownSettings.All.Where(name => name.StartsWith(prefix, StringComparison.Ordinal))
            .Select(name => name[prefix.Length..])
            .Order(StringComparer.Ordinal);
        var properties = typeof(ClusterSettings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(property => property.CanWrite)
            .Select(property => property.Name)
            .Order(StringComparer.Ordinal);

        Assert.Equal("Orleans", ClusterSettings.SectionName);
        Assert.Equal(properties, listed);
    }

    [Fact]
    public void OrleansKeys_BindToClusterSettings()
    {
        var configuration = KnownSettings.ToConfiguration(new Dictionary<string, string?>
        {
            ["Orleans__ServiceId"] = "svc",
            ["Orleans__ClusterId"] = "cluster",
            ["Orleans__SiloPort"] = "21111",
            ["Orleans__GatewayPort"] = "40000",
            ["Orleans__AdvertisedAddress"] = "10.0.0.9",
        });

        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>()!;

        Assert.Equal(("svc", "cluster", 21111, 40000), (settings.ServiceId, settings.ClusterId, settings.SiloPort, settings.GatewayPort));
        Assert.Equal("10.0.0.9", settings.ResolveAdvertisedAddress().ToString());
    }

    [Fact]
    public void DefaultOrleansPorts_AreTheOnesTheManifestsUse()
    {
        var defaults = new ClusterSettings();

        Assert.Equal(KnownSettings.SiloPort, defaults.SiloPort);
        Assert.Equal(KnownSettings.SiloGatewayPort, defaults.GatewayPort);
    }

    [Theory]
    [InlineData("Silo/Program.cs", KnownSettings.SiloHttpPort)]
    [InlineData("Gateway/Program.cs", KnownSettings.GatewayHttpPort)]
    public void DefaultHttpPort_IsTheOneTheHostListensOnWithoutPort(string program, int port)
    {
        var match = DefaultPortArgument().Match(RepositoryFiles.Read(program));

        Assert.True(match.Success, $"{program} no longer passes defaultPort to ListenUrls.Resolve.");
        Assert.Equal(port, int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal($"http://0.0.0.0:{port}", ListenUrls.Resolve(KnownSettings.ToConfiguration([]), port));
    }

    [Fact]
    public void PortKey_OverridesTheListenUrl()
    {
        var configuration = KnownSettings.ToConfiguration([KeyValuePair.Create("PORT", (string?)"9999")]);

        Assert.Equal("http://0.0.0.0:9999", ListenUrls.Resolve(configuration, KnownSettings.GatewayHttpPort));
    }

    [Fact]
    public void ConnectionKeys_AreTheOnesTheAppsRead()
    {
        foreach (var key in KnownSettings.PostgresKeys)
        {
            var value = key.StartsWith("ConnectionStrings", StringComparison.Ordinal) ? "Host=db;Database=d" : "postgres://u:p@db:5432/d";
            var configuration = KnownSettings.ToConfiguration([KeyValuePair.Create(key, (string?)value)]);

            Assert.Contains("Host=db", configuration.GetPostgresConnectionString(), StringComparison.Ordinal);
        }

        foreach (var key in KnownSettings.RedisKeys)
        {
            var configuration = KnownSettings.ToConfiguration([KeyValuePair.Create(key, (string?)"cache:6379")]);

            Assert.Equal("cache:6379", configuration.GetRedisConnectionString());
        }

        Assert.Equal("ConnectionStrings__" + Grains.Hosting.ConfigurationExtensions.PostgresKey, KnownSettings.PostgresKeys[0]);
        Assert.Equal("ConnectionStrings__" + Grains.Hosting.ConfigurationExtensions.RedisKey, KnownSettings.RedisKeys[0]);
    }

    [Fact]
    public void GatewayKeys_MatchTheGatewaySettingsSections()
    {
        Assert.True(typeof(JwtSettings).IsPublic);
        Assert.Contains($"{JwtSettings.SectionName}__{nameof(JwtSettings.Secret)}", KnownSettings.JwtSecretKeys);
        Assert.Contains($"{PasswordSettings.SectionName}__{nameof(PasswordSettings.BcryptCost)}", KnownSettings.GatewayOnly);

        var configuration = KnownSettings.ToConfiguration(new Dictionary<string, string?>
        {
            ["Jwt__Secret"] = "s",
            ["Passwords__BcryptCost"] = "12",
            ["Cluster__Mode"] = "Client",
        });

        Assert.Equal("s", configuration.GetSection(JwtSettings.SectionName).Get<JwtSettings>()!.Secret);
        Assert.Equal(12, configuration.GetSection(PasswordSettings.SectionName).Get<PasswordSettings>()!.BcryptCost);
        Assert.Equal(ClusterMode.Client, configuration.GetValue<ClusterMode?>("Cluster:Mode"));
    }

    [Fact]
    public void CorsOriginKeys_AreIndexedEntriesOfTheGatewayCorsSection()
    {
        // CorsExtensions is internal to the gateway; its key is read by reflection rather than copied.
        var cors = typeof(JwtSettings).Assembly.GetType("SafeGram.Gateway.Hosting.CorsExtensions", throwOnError: true)!;
        var originsKey = (string)cors.GetField("OriginsKey")!.GetRawConstantValue()!;

        Assert.Equal(KnownSettings.CorsOriginPrefix, originsKey.Replace(":", "__", StringComparison.Ordinal) + "__");
        Assert.True(KnownSettings.IsKnown(App.Gateway, "Cors__AllowedOrigins__0"));
        Assert.True(KnownSettings.IsKnown(App.Gateway, "Cors__AllowedOrigins__12"));
        Assert.False(KnownSettings.IsKnown(App.Gateway, "Cors__AllowedOrigins__x"));
        Assert.False(KnownSettings.IsKnown(App.Silo, "Cors__AllowedOrigins__0"));
    }

    [Fact]
    public void ForwardedHeadersKeys_AreTheOnesTheGatewayReads()
    {
        var setup = typeof(JwtSettings).Assembly.GetType("SafeGram.Gateway.Hosting.ForwardedHeadersSetup", throwOnError: true)!;
        string Key(string field) => ((string)setup.GetField(field)!.GetRawConstantValue()!).Replace(":", "__", StringComparison.Ordinal);

        Assert.Equal(KnownSettings.ForwardedHeadersEnabled, Key("EnabledKey"));
        Assert.Equal(KnownSettings.ForwardedNetworkPrefix, Key("KnownNetworksKey") + "__");
        Assert.True(KnownSettings.IsKnown(App.Gateway, "ForwardedHeaders__KnownNetworks__1"));
        Assert.False(KnownSettings.IsKnown(App.Silo, KnownSettings.ForwardedHeadersEnabled));
    }

    [Fact]
    public void MetricsPortKey_IsTheOneTheGatewayReads()
    {
        var operations = typeof(JwtSettings).Assembly.GetType("SafeGram.Gateway.Hosting.OperationsExtensions", throwOnError: true)!;
        var key = (string)operations.GetField("MetricsPortKey")!.GetRawConstantValue()!;

        Assert.Equal(KnownSettings.MetricsPort, key.Replace(":", "__", StringComparison.Ordinal));
        Assert.False(KnownSettings.IsKnown(App.Silo, KnownSettings.MetricsPort));
    }

    [Fact]
    public void KnownSettings_KeepSecretsAndRolesApart()
    {
        Assert.False(KnownSettings.IsKnown(App.Silo, "JWT_SECRET"));
        Assert.False(KnownSettings.IsKnown(App.Gateway, "Orleans__AdvertisedAddress"));
        Assert.False(KnownSettings.IsKnown(App.Schema, "REDIS_URL"));
        Assert.False(KnownSettings.IsKnown(App.Silo, "Orleans__SiloPorts"));
    }

    [GeneratedRegex(@"ListenUrls\.Resolve\([^)]*defaultPort:\s*(\d+)\)")]
    private static partial Regex DefaultPortArgument();
}
