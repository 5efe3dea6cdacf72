using System.Text;
using Microsoft.Extensions.Configuration;
using Npgsql;
using SafeGram.Deploy.Tests.Infrastructure;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Hosting;
using SafeGram.Grains.Hosting;

namespace SafeGram.Deploy.Tests.Kubernetes;

/// <summary>Rules every manifest under deploy/k8s follows, and the settings the SafeGram workloads receive.</summary>
public sealed class KubernetesManifestTests
{
    private static KubernetesManifests Manifests => KubernetesManifests.Instance;

    public static TheoryData<App> AppsWithProbes => new() { App.Silo, App.Gateway };

    [Fact]
    public void Manifests_AreTheExpectedFiles()
    {
        Assert.Equal(
            new[] { "configmap.yaml", "gateway.yaml", "namespace.yaml", "postgres.yaml", "redis.yaml", "schema-job.yaml", "secret.example.yaml", "silo.yaml" },
            Manifests.Files);
    }

    [Fact]
    public void EveryResource_HasApiVersionKindNameAndTheSafeGramNamespace()
    {
        Assert.NotEmpty(Manifests.Resources);
        Assert.All(Manifests.Resources, resource =>
        {
            Assert.Matches(@"^([a-z0-9.]+/)?v\d+((alpha|beta)\d+)?$", resource.ApiVersion);
            Assert.False(string.IsNullOrWhiteSpace(resource.Kind));
            Assert.False(string.IsNullOrWhiteSpace(resource.Name));
            Assert.Equal(resource.Kind == "Namespace" ? null : KubernetesManifests.Namespace, resource.Namespace);
        });
        Assert.Equal(KubernetesManifests.Namespace, Manifests.Get("Namespace", KubernetesManifests.Namespace).Name);
    }

    [Fact]
    public void Workloads_SelectTheirOwnPodTemplateLabels()
    {
        Assert.All(Manifests.Workloads.Where(w => w.Kind != "Job"), workload =>
        {
            var selector = workload.Spec.Map("selector").Get("matchLabels").Scalars();
            Assert.NotEmpty(selector);
            Assert.All(selector, label => Assert.Equal(label.Value, workload.PodLabels.GetValueOrDefault(label.Key)));
        });
    }

    [Fact]
    public void AppWorkloads_SetOnlySettingsTheirAppReads()
    {
        foreach (var (app, workload, container) in Manifests.AppWorkloads)
        {
            var environment = Manifests.Environment(container);

            Assert.NotEmpty(environment);
            Assert.All(environment.Keys, name => Assert.True(KnownSettings.IsKnown(app, name), $"{workload} sets {name}, which {app} does not read."));
        }
    }

    [Fact]
    public void AppWorkloads_SettingsBindToTheAppsSettingsClasses()
    {
        foreach (var (app, workload, container) in Manifests.AppWorkloads)
        {
            var configuration = Configuration(container);

            Assert.True(configuration.GetPostgresConnectionString() is not null || app == App.Gateway, $"{workload} has no PostgreSQL setting.");
            if (app == App.Schema)
            {
                continue;
            }

            Assert.NotNull(configuration.GetRedisConnectionString());
            var cluster = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new();
            Assert.Equal(("safegram", "safegram"), (cluster.ServiceId, cluster.ClusterId));
            Assert.InRange(KnownSettings.HttpPort(app, configuration), 1, 65535);
            if (app == App.Gateway)
            {
                Assert.Equal(ClusterMode.Client, configuration.GetValue<ClusterMode?>("Cluster:Mode") ?? ClusterMode.Client);
                Assert.InRange(configuration.GetSection(PasswordSettings.SectionName).Get<PasswordSettings>()?.BcryptCost ?? new PasswordSettings().BcryptCost, 10, 14);
                Assert.NotEmpty(configuration.GetSection("Cors:AllowedOrigins").Get<string[]>() ?? []);
            }
        }
    }

    [Fact]
    public void AppWorkloads_TakeSecretsFromTheSecretOnly()
    {
        var secretNames = KnownSettings.PostgresKeys.Concat(KnownSettings.RedisKeys).Concat(KnownSettings.JwtSecretKeys).ToHashSet();
        foreach (var (_, workload, container) in Manifests.AppWorkloads)
        {
            foreach (var setting in Manifests.Environment(container).Values.Where(s => secretNames.Contains(s.Name)))
            {
                Assert.True(setting.IsFromSecret, $"{workload} sets {setting.Name} from {setting.Origin}, not from a Secret.");
            }
        }

        Assert.All(Manifests.OfKind("ConfigMap"), configMap => Assert.DoesNotContain(
            Manifests.Data("ConfigMap", configMap.Name).Keys, key => secretNames.Contains(key)));
    }

    [Fact]
    public void Workloads_RunAsNonRootWithoutPrivilegeEscalation()
    {
        Assert.All(Manifests.Workloads, workload =>
        {
            var pod = workload.PodSpec.Get("securityContext");
            Assert.All(workload.Containers, container =>
            {
                var own = container.Get("securityContext");
                var runAsNonRoot = own?.Get("runAsNonRoot") is not null ? own.Flag("runAsNonRoot") : pod?.Flag("runAsNonRoot") ?? false;
                Assert.True(runAsNonRoot, $"{workload}: container {container.Text("name")} may run as root.");
                Assert.False(own?.Flag("allowPrivilegeEscalation") ?? true, $"{workload}: container {container.Text("name")} allows privilege escalation.");
                Assert.Contains("ALL", own?.Get("capabilities")?.Strings("drop") ?? []);
            });
        });
    }

    [Fact]
    public void Workloads_RequestCpuAndMemoryAndLimitMemory()
    {
        Assert.All(Manifests.Workloads, workload => Assert.All(workload.Containers, container =>
        {
            var resources = container.Map("resources");
            Assert.NotNull(resources.Map("requests").Get("cpu"));
            Assert.NotNull(resources.Map("requests").Get("memory"));
            Assert.NotNull(resources.Map("limits").Get("memory"));
        }));
    }

    [Fact]
    public void LongRunningWorkloads_HaveReadinessAndLivenessProbes()
    {
        var longRunning = Manifests.Workloads.Where(w => w.Kind != "Job").ToList();

        Assert.Contains(longRunning, w => w.Name == "safegram-silo");
        Assert.Contains(longRunning, w => w.Name == "safegram-gateway");
        Assert.All(longRunning, workload => Assert.All(workload.Containers, container =>
        {
            Assert.NotNull(container.Get("readinessProbe"));
            Assert.NotNull(container.Get("livenessProbe"));
        }));
    }

    [Theory]
    [MemberData(nameof(AppsWithProbes))]
    public void AppWorkload_ProbesHealthEndpointsOnTheHttpPortTheAppListensOn(App app)
    {
        var (_, workload, container) = Manifests.AppWorkloads.Single(w => w.App == app);
        var httpPort = KnownSettings.HttpPort(app, Configuration(container));

        Assert.Equal(KnownSettings.DefaultHttpPort(app), httpPort);
        Assert.Equal(httpPort, ContainerPort(container, "http"));
        foreach (var (probe, path, required) in new[] { ("readinessProbe", "/health/ready", true), ("livenessProbe", "/health/live", true), ("startupProbe", "/health/live", false) })
        {
            var spec = container.Get(probe);
            Assert.True(spec is not null || !required, $"{workload} has no {probe}.");
            if (spec is not null)
            {
                var get = spec.Map("httpGet");
                Assert.Equal(path, get.Text("path"));
                Assert.Equal(httpPort, ResolvePort(container, get.Text("port")));
            }
        }

        Assert.False(workload.PodSpec.Flag("hostNetwork"));
    }

    [Theory]
    [MemberData(nameof(AppsWithProbes))]
    public void AppWorkload_IsScrapedByPrometheusWhereItServesMetrics(App app)
    {
        var (_, workload, container) = Manifests.AppWorkloads.Single(w => w.App == app);
        var annotations = workload.PodTemplate.Map("metadata").Get("annotations").Scalars();
        var metricsPort = KnownSettings.MetricsPortOf(app, Configuration(container));

        Assert.Equal("true", annotations.GetValueOrDefault("prometheus.io/scrape"));
        Assert.Equal("/metrics", annotations.GetValueOrDefault("prometheus.io/path"));
        Assert.Equal(metricsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations.GetValueOrDefault("prometheus.io/port"));
        Assert.Contains(metricsPort, container.Maps("ports").Select(port => port.Number("containerPort")));
    }

    [Fact]
    public void AppWorkloads_DoNotMountServiceAccountTokens()
    {
        Assert.All(Manifests.AppWorkloads, w => Assert.Equal("false", w.Workload.PodSpec.Text("automountServiceAccountToken", null)));
    }

    [Fact]
    public void AppImages_ShareOneRegistryAndOneTag()
    {
        var silo = Image(App.Silo);
        var gateway = Image(App.Gateway);

        Assert.Equal(silo, Image(App.Schema));   // the schema step must match the silos it prepares for
        Assert.EndsWith("/silo", silo.Repository, StringComparison.Ordinal);
        Assert.Equal(silo.Repository[..^"/silo".Length] + "/gateway", gateway.Repository);
        Assert.Equal(silo.Tag, gateway.Tag);
        Assert.NotEqual("latest", silo.Tag);
        Assert.All(Manifests.AppWorkloads, w => Assert.NotEqual("Always", w.Container.Text("imagePullPolicy", "IfNotPresent")));
    }

    [Fact]
    public void SecretExample_ValuesParseWithTheAppsParsersAndPointAtTheDevelopmentServices()
    {
        var secret = Manifests.Data("Secret", "safegram");
        Assert.Equal(new[] { "DATABASE_URL", "JWT_SECRET", "REDIS_URL" }, secret.Keys.Order(StringComparer.Ordinal));

        var configuration = KnownSettings.ToConfiguration(secret.Select(entry => KeyValuePair.Create(entry.Key, (string?)entry.Value)));
        var postgres = new NpgsqlConnectionStringBuilder(configuration.GetPostgresConnectionString());
        var postgresSet = Manifests.Get("StatefulSet", "postgres").Container("postgres");
        var postgresEnv = Manifests.Environment(postgresSet);
        Assert.Equal(ServiceHost("postgres"), postgres.Host);
        Assert.Equal(ServicePort("postgres"), postgres.Port);
        Assert.Equal(postgresEnv["POSTGRES_USER"].Value, postgres.Username);
        Assert.Equal(postgresEnv["POSTGRES_PASSWORD"].Value, postgres.Password);
        Assert.Equal(postgresEnv["POSTGRES_DB"].Value, postgres.Database);

        var redis = configuration.GetRedisConnectionString()!.Split(',')[0].Split(':');
        Assert.Equal(ServiceHost("redis"), redis[0]);
        Assert.Equal(ServicePort("redis"), int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void DevelopmentPostgres_AcceptsEverySiloConnectionDuringARollout()
    {
        // Per silo: two pools of 16 (Grains/Hosting/PostgresPooling.cs) and the readiness probe's connection.
        const int perSilo = 2 * 16 + 1;
        const int superuserReserved = 3;
        var silos = Manifests.Get("Deployment", "safegram-silo").Spec;
        var rolloutSilos = silos.Number("replicas") + silos.Map("strategy").Map("rollingUpdate").Number("maxSurge");
        var args = Manifests.Get("StatefulSet", "postgres").Container("postgres").Strings("args");
        var setting = args.SkipWhile(arg => arg != "-c").Skip(1).Single(arg => arg.StartsWith("max_connections=", StringComparison.Ordinal));
        var maxConnections = int.Parse(setting["max_connections=".Length..], System.Globalization.CultureInfo.InvariantCulture);

        // One more for the schema Job, which may run beside them.
        Assert.True(maxConnections - superuserReserved >= rolloutSilos * perSilo + 1,
            $"max_connections={maxConnections} leaves too few connections for {rolloutSilos} silos of {perSilo}.");
    }

    [Fact]
    public void SecretExample_JwtPlaceholderIsTooShortForAGatewayToStart()
    {
        var placeholder = Manifests.Data("Secret", "safegram")["JWT_SECRET"];

        Assert.NotEmpty(placeholder);
        Assert.True(Encoding.UTF8.GetByteCount(placeholder) < JwtSettings.MinimumSecretBytes,
            "An unedited example Secret must not yield a working (and public) signing key.");
    }

    [Theory]
    [InlineData("postgres.yaml")]
    [InlineData("redis.yaml")]
    public void DevelopmentInfrastructure_SaysItIsForDevelopmentOnly(string file)
    {
        var header = string.Concat(RepositoryFiles.Read($"{KubernetesManifests.Folder}/{file}").Split('\n').TakeWhile(line => line.StartsWith('#')));

        Assert.Contains("DEVELOPMENT ONLY", header, StringComparison.Ordinal);
    }

    [Fact]
    public void Readme_NamesEveryManifest()
    {
        var readme = RepositoryFiles.Read($"{KubernetesManifests.Folder}/README.md");

        Assert.All(Manifests.Files, file => Assert.Contains($"`{file}`", readme, StringComparison.Ordinal));
        Assert.All(Manifests.Files.Where(f => f != "secret.example.yaml"), file => Assert.Contains($"-f {file}", readme, StringComparison.Ordinal));
    }

    internal static IConfiguration Configuration(YamlDotNet.RepresentationModel.YamlMappingNode container) =>
        KnownSettings.ToConfiguration(Manifests.Environment(container).Values.Select(setting => KeyValuePair.Create(setting.Name, setting.Value)));

    internal static int ContainerPort(YamlDotNet.RepresentationModel.YamlMappingNode container, string name)
    {
        var port = container.Maps("ports").SingleOrDefault(p => p.Text("name", null) == name);
        Assert.True(port is not null, $"Container {container.Text("name")} has no port named '{name}'.");
        return port.Number("containerPort");
    }

    /// <summary>A probe's or Service's port: a container port name, or a number that must be a declared container port.</summary>
    internal static int ResolvePort(YamlDotNet.RepresentationModel.YamlMappingNode container, string port)
    {
        if (int.TryParse(port, out var number))
        {
            Assert.Contains(number, container.Maps("ports").Select(p => p.Number("containerPort")));
            return number;
        }

        return ContainerPort(container, port);
    }

    private static (string Repository, string Tag) Image(App app)
    {
        var image = Manifests.AppWorkloads.Single(w => w.App == app).Container.Text("image");
        var colon = image.LastIndexOf(':');
        Assert.True(colon > image.LastIndexOf('/'), $"{image} has no tag.");
        return (image[..colon], image[(colon + 1)..]);
    }

    private static string ServiceHost(string service) => $"{Manifests.Get("Service", service).Name}.{KubernetesManifests.Namespace}.svc.cluster.local";

    private static int ServicePort(string service) => Manifests.Get("Service", service).Spec.Maps("ports").Single().Number("port");
}
