using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Npgsql;
using SafeGram.Deploy.Tests.Infrastructure;
using SafeGram.Gateway.Auth;
using SafeGram.Grains.Hosting;

namespace SafeGram.Deploy.Tests;

/// <summary>deploy/compose.yaml and its nginx front: the one-machine topology, its start order and settings.</summary>
public sealed partial class ComposeTests
{
    /// <summary>What an operator exports before <c>docker compose up</c>.</summary>
    private static readonly Dictionary<string, string> Variables = new(StringComparer.Ordinal)
    {
        ["POSTGRES_PASSWORD"] = "pg-secret",
        ["JWT_SECRET"] = new string('k', JwtSettings.MinimumSecretBytes),
    };

    private static ComposeFile Compose => ComposeFile.Instance;

    [Fact]
    public void Compose_RunsSchemaStepTwoSilosAndTwoGatewaysBehindOneProxy()
    {
        Assert.Single(Compose.Of(App.Schema));
        Assert.Equal(2, Compose.Of(App.Silo).Count);
        Assert.Equal(2, Compose.Of(App.Gateway).Count);
        Assert.Equal("postgres:15", Compose.Service("postgres").Image);
        Assert.Equal("redis:7", Compose.Service("redis").Image);
        Assert.StartsWith("nginx:", Compose.Service("proxy").Image, StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_AppServicesBuildTheirImageFromTheRepositoryRoot()
    {
        foreach (var service in Compose.Services.Where(s => s.App is not null))
        {
            var build = service.Node.Map("build");
            var project = service.App == App.Gateway ? "Gateway" : "Silo";

            Assert.Equal(RepositoryFiles.Root.TrimEnd(Path.DirectorySeparatorChar), Path.GetFullPath(Path.Combine(ComposeFile.Directory, build.Text("context"))).TrimEnd(Path.DirectorySeparatorChar));
            Assert.Equal($"{project}/Dockerfile", build.Text("dockerfile"));
        }
    }

    [Fact]
    public void Compose_SchemaServiceRunsMigrateOnceOnTheSiloImage()
    {
        var schema = Assert.Single(Compose.Of(App.Schema));

        Assert.Equal(new[] { "migrate" }, schema.Command);
        Assert.Equal("no", schema.Node.Text("restart", "no"));
        Assert.All(Compose.Of(App.Silo), silo => Assert.Equal(silo.Image, schema.Image));
        Assert.Single(schema.Environment.Keys, KnownSettings.PostgresKeys.Contains);
    }

    [Fact]
    public void Compose_AppServicesSetOnlySettingsTheirAppReads()
    {
        foreach (var service in Compose.Services.Where(s => s.App is not null))
        {
            Assert.NotEmpty(service.Environment);
            Assert.All(service.Environment.Keys, name => Assert.True(KnownSettings.IsKnown(service.App!.Value, name), $"{service} sets {name}, which {service.App} does not read."));
        }
    }

    [Fact]
    public void Compose_SilosAdvertiseDistinctStaticAddressesOnTheirNetwork()
    {
        var addresses = new List<IPAddress>();
        foreach (var silo in Compose.Of(App.Silo))
        {
            var settings = Configuration(silo).GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new();
            var advertised = settings.ResolveAdvertisedAddress();
            Assert.False(IPAddress.IsLoopback(advertised), $"{silo} advertises loopback: other containers could not reach it.");

            var (network, attachment) = Assert.Single(silo.Node.Map("networks").Entries());
            Assert.Equal(advertised, IPAddress.Parse(attachment.Text("ipv4_address")));
            var subnet = Compose.Root.Map("networks").Map(network).Map("ipam").Maps("config").Single().Text("subnet");
            Assert.True(IPNetwork.Parse(subnet).Contains(advertised), $"{advertised} is outside {subnet}.");
            addresses.Add(advertised);
        }

        Assert.Equal(addresses.Count, addresses.Distinct().Count());
    }

    [Fact]
    public void Compose_GatewaysTrustXForwardedForFromTheProxyAlone()
    {
        var (_, attachment) = Assert.Single(Compose.Service("proxy").Node.Map("networks").Entries());
        var proxy = IPAddress.Parse(attachment.Text("ipv4_address"));
        var handedOut = IPNetwork.Parse(Compose.Root.Map("networks").Map("safegram").Map("ipam").Maps("config").Single().Text("ip_range"));

        foreach (var gateway in Compose.Of(App.Gateway))
        {
            var configuration = Configuration(gateway);
            Assert.True(configuration.GetValue<bool>("ForwardedHeaders:Enabled"), $"{gateway} would throttle sign-ins per proxy, not per client.");
            var trusted = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>()!.Select(IPNetwork.Parse).ToList();
            Assert.Equal([new IPNetwork(proxy, 32)], trusted);
        }

        Assert.False(handedOut.Contains(proxy), "Docker could hand the proxy's fixed address to another container.");
        Assert.All(Compose.Of(App.Silo), silo => Assert.False(handedOut.Contains(IPAddress.Parse(silo.Node.Map("networks").Entries().Single().Value.Text("ipv4_address")))));
    }

    [Fact]
    public void Compose_AllProcessesShareOneServiceClusterAndDatabase()
    {
        var apps = Compose.Services.Where(s => s.App is App.Silo or App.Gateway).Select(Configuration).ToList();

        var identities = apps.Select(c => c.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new()).Select(s => (s.ServiceId, s.ClusterId)).Distinct();
        Assert.Single(identities);
        Assert.Single(apps.Select(c => c.GetRedisConnectionString()).Distinct());
        Assert.All(apps, c => Assert.NotNull(c.GetRedisConnectionString()));

        var databases = Compose.Services.Where(s => s.App is App.Silo or App.Schema)
            .Select(s => new NpgsqlConnectionStringBuilder(Configuration(s).GetRequiredPostgresConnectionString()))
            .Select(b => (b.Host, b.Database, b.Username, b.Password))
            .Distinct()
            .ToList();
        var postgres = Compose.Service("postgres").Environment;
        Assert.Equal(("postgres", Interpolate(postgres["POSTGRES_DB"]), Interpolate(postgres["POSTGRES_USER"]), Interpolate(postgres["POSTGRES_PASSWORD"])), Assert.Single(databases));
        Assert.StartsWith("redis:", Configuration(Compose.Of(App.Silo)[0]).GetRedisConnectionString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Compose_SecretsComeFromTheEnvironmentAndAreRequired()
    {
        var secretValues = Compose.Services
            .SelectMany(s => s.Environment)
            .Where(variable => KnownSettings.JwtSecretKeys.Contains(variable.Key) || variable.Key == "POSTGRES_PASSWORD")
            .ToList();

        Assert.Contains(secretValues, variable => variable.Key == "JWT_SECRET");
        Assert.All(secretValues, variable => Assert.Matches(@"^\$\{" + variable.Key + @":\?[^}]+\}$", variable.Value));
        Assert.All(Compose.Services.SelectMany(s => s.Environment).Where(v => KnownSettings.PostgresKeys.Contains(v.Key)),
            variable => Assert.Contains("${POSTGRES_PASSWORD:?", variable.Value, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => ComposeFile.Interpolate(Compose.Of(App.Gateway)[0].Environment["JWT_SECRET"], new Dictionary<string, string>()));
    }

    [Fact]
    public void Compose_StartsSchemaThenSilosThenGatewaysThenProxy()
    {
        var schema = Compose.Of(App.Schema).Single();
        Assert.Equal("service_healthy", schema.DependsOn["postgres"]);

        foreach (var silo in Compose.Of(App.Silo))
        {
            Assert.Equal("service_completed_successfully", silo.DependsOn[schema.Name]);
            Assert.Equal("service_healthy", silo.DependsOn["postgres"]);
            Assert.Equal("service_healthy", silo.DependsOn["redis"]);
        }

        foreach (var gateway in Compose.Of(App.Gateway))
        {
            Assert.All(Compose.Of(App.Silo), silo => Assert.Equal("service_healthy", gateway.DependsOn.GetValueOrDefault(silo.Name)));
        }

        Assert.All(Compose.Of(App.Gateway), gateway => Assert.Equal("service_healthy", Compose.Service("proxy").DependsOn.GetValueOrDefault(gateway.Name)));
        Assert.All(new[] { "postgres", "redis" }, name => Assert.NotNull(Compose.Service(name).Node.Get("healthcheck")));
    }

    [Fact]
    public void Compose_AppHealthchecksAskTheReadyEndpointOnTheAppsPort()
    {
        foreach (var service in Compose.Services.Where(s => s.App is App.Silo or App.Gateway))
        {
            var check = string.Join(' ', service.Node.Map("healthcheck").Strings("test"));

            Assert.Contains("/health/ready", check, StringComparison.Ordinal);
            // $$PORT reaches the container as $PORT, which the image sets to the app's HTTP port.
            var imagePort = Dockerfile.Load(service.App == App.Gateway ? "Gateway/Dockerfile" : "Silo/Dockerfile").Runtime.Environment()["PORT"];
            Assert.True(
                check.Contains("/$$PORT", StringComparison.Ordinal) && !service.Environment.ContainsKey("PORT")
                || check.Contains("/" + KnownSettings.HttpPort(service.App!.Value, Configuration(service)), StringComparison.Ordinal),
                $"{service}'s healthcheck does not ask the port the app listens on.");
            Assert.Equal(KnownSettings.DefaultHttpPort(service.App!.Value).ToString(CultureInfo.InvariantCulture), imagePort);
        }
    }

    [Fact]
    public void Compose_GivesProcessesTheirDrainTime()
    {
        Assert.All(Compose.Of(App.Silo), silo => Assert.Equal("150s", silo.Node.Text("stop_grace_period")));
        Assert.All(Compose.Of(App.Gateway), gateway => Assert.Equal("60s", gateway.Node.Text("stop_grace_period")));
    }

    [Fact]
    public void Compose_PublishesOnlyTheProxyOnPort8080()
    {
        var published = Compose.Services.Where(s => s.Node.Get("ports") is not null).ToList();

        var proxy = Assert.Single(published);
        Assert.Equal("proxy", proxy.Name);
        var mapping = Assert.Single(proxy.Node.Strings("ports")).Split(':');
        Assert.Equal("8080", mapping[^2]);
        Assert.Equal(Listen(NginxConfig()), int.Parse(mapping[^1], CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Proxy_MountsTheNginxConfigOfThisFolder()
    {
        var mount = Assert.Single(Compose.Service("proxy").Node.Strings("volumes"));
        var source = mount.Split(':')[0];

        Assert.Equal(RepositoryFiles.PathOf("deploy/nginx/nginx.conf"), Path.GetFullPath(Path.Combine(ComposeFile.Directory, source)));
    }

    [Fact]
    public void Proxy_BalancesOverEveryGatewayOnItsHttpPort()
    {
        var upstream = Block(NginxConfig(), @"upstream\s+\S+");
        var servers = UpstreamServer().Matches(upstream).Select(m => (m.Groups[1].Value, int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture))).Order().ToList();
        var gateways = Compose.Of(App.Gateway).Select(g => (g.Name, KnownSettings.HttpPort(App.Gateway, Configuration(g)))).Order().ToList();

        Assert.Equal(gateways, servers);
    }

    [Fact]
    public void Proxy_UpgradesWebSocketsOnWsAndKeepsForwardedHeaders()
    {
        var config = NginxConfig();
        var ws = Block(config, @"location\s+/ws");

        Assert.Matches(@"proxy_http_version\s+1\.1;", config);
        Assert.Matches(@"proxy_set_header\s+Upgrade\s+\$http_upgrade;", ws);
        Assert.Matches(@"proxy_set_header\s+Connection\s+\$connection_upgrade;", ws);
        Assert.Matches(@"map\s+\$http_upgrade\s+\$connection_upgrade", config);
        Assert.Matches(@"proxy_read_timeout\s+(\d+[mh]|\d{3,}s?);", ws);
        // nginx drops every inherited proxy_set_header in a location that sets its own.
        Assert.Matches(@"proxy_set_header\s+X-Forwarded-For\s", ws);
        Assert.Matches(@"proxy_set_header\s+Host\s", ws);
    }

    private static IConfiguration Configuration(ComposeService service) =>
        KnownSettings.ToConfiguration(service.Environment.Select(variable => KeyValuePair.Create(variable.Key, (string?)Interpolate(variable.Value))));

    private static string Interpolate(string value) => ComposeFile.Interpolate(value, Variables);

    private static string NginxConfig() =>
        string.Join('\n', RepositoryFiles.Read("deploy/nginx/nginx.conf").Split('\n').Select(line => line.Split('#')[0]));

    private static int Listen(string config) =>
        int.Parse(Assert.Single(ListenDirective().Matches(config)).Groups[1].Value, CultureInfo.InvariantCulture);

    /// <summary>The body of the first block whose header matches, braces balanced.</summary>
    private static string Block(string config, string header)
    {
        var match = Regex.Match(config, header + @"\s*\{");
        Assert.True(match.Success, $"No block '{header}' in nginx.conf.");
        var depth = 1;
        var i = match.Index + match.Length;
        for (; i < config.Length && depth > 0; i++)
        {
            depth += config[i] switch { '{' => 1, '}' => -1, _ => 0 };
        }

        return config[(match.Index + match.Length)..(i - 1)];
    }

    [GeneratedRegex(@"^\s*server\s+([\w.-]+):(\d+)\b", RegexOptions.Multiline)]
    private static partial Regex UpstreamServer();

    [GeneratedRegex(@"^\s*listen\s+(\d+)\s*;", RegexOptions.Multiline)]
    private static partial Regex ListenDirective();
}
