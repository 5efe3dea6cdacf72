using YamlDotNet.RepresentationModel;

namespace SafeGram.Deploy.Tests.Infrastructure;

/// <summary>One document of a manifest file.</summary>
internal sealed record KubernetesResource(string File, YamlMappingNode Node)
{
    public string ApiVersion => Node.Text("apiVersion");

    public string Kind => Node.Text("kind");

    public YamlMappingNode Metadata => Node.Map("metadata");

    public string Name => Metadata.Text("name");

    public string? Namespace => Metadata.Text("namespace", null);

    public YamlMappingNode Spec => Node.Map("spec");

    public bool IsWorkload => Kind is "Deployment" or "StatefulSet" or "DaemonSet" or "Job";

    public YamlMappingNode PodTemplate => Spec.Map("template");

    public YamlMappingNode PodSpec => PodTemplate.Map("spec");

    public IReadOnlyDictionary<string, string> PodLabels => (PodTemplate.Get("metadata")?.Get("labels")).Scalars();

    public IReadOnlyList<YamlMappingNode> Containers => PodSpec.Maps("containers");

    public YamlMappingNode Container(string name) =>
        Containers.SingleOrDefault(container => container.Text("name") == name)
        ?? throw new InvalidDataException($"{this} has no container '{name}'.");

    public override string ToString() => $"{Kind}/{Name} ({File})";
}

/// <summary>An environment variable of a container, with where its value comes from.</summary>
internal sealed record EnvSetting(string Name, string? Value, string Origin)
{
    public bool IsFromSecret => Origin.StartsWith("secret", StringComparison.Ordinal);
}

/// <summary>Every manifest under deploy/k8s, parsed (multi-document files included).</summary>
internal sealed class KubernetesManifests
{
    public const string Folder = "deploy/k8s";
    public const string Namespace = "safegram";

    /// <summary>What <c>fieldRef: status.podIP</c> stands for when settings are bound in a test.</summary>
    public const string SamplePodIp = "10.244.1.17";

    private static readonly Lazy<KubernetesManifests> Loaded = new(() => new KubernetesManifests());

    private KubernetesManifests()
    {
        var folder = RepositoryFiles.PathOf(Folder);
        Files = Directory.GetFiles(folder, "*.yaml").Concat(Directory.GetFiles(folder, "*.yml"))
            .Select(path => Path.GetFileName(path))
            .Order(StringComparer.Ordinal)
            .ToList();
        Resources = Files
            .SelectMany(file => Yaml.LoadDocuments(Path.Combine(folder, file)).Select(node => new KubernetesResource(file, node)))
            .ToList();
    }

    public static KubernetesManifests Instance => Loaded.Value;

    public IReadOnlyList<string> Files { get; }

    public IReadOnlyList<KubernetesResource> Resources { get; }

    public IEnumerable<KubernetesResource> Workloads => Resources.Where(resource => resource.IsWorkload);

    public KubernetesResource Get(string kind, string name) =>
        Resources.SingleOrDefault(resource => resource.Kind == kind && resource.Name == name)
        ?? throw new InvalidDataException($"No {kind}/{name} under {Folder}.");

    public IEnumerable<KubernetesResource> OfKind(string kind) => Resources.Where(resource => resource.Kind == kind);

    /// <summary>The SafeGram workloads: silo and gateway Deployments and the schema Job.</summary>
    public IReadOnlyList<(App App, KubernetesResource Workload, YamlMappingNode Container)> AppWorkloads =>
    [
        (App.Silo, Get("Deployment", "safegram-silo"), Get("Deployment", "safegram-silo").Container("silo")),
        (App.Gateway, Get("Deployment", "safegram-gateway"), Get("Deployment", "safegram-gateway").Container("gateway")),
        (App.Schema, Get("Job", "safegram-schema"), Get("Job", "safegram-schema").Container("schema")),
    ];

    /// <summary>
    /// The environment a container starts with: <c>envFrom</c> sources, then <c>env</c> (which wins),
    /// values resolved from the ConfigMaps and the example Secret of this folder.
    /// </summary>
    public IReadOnlyDictionary<string, EnvSetting> Environment(YamlMappingNode container)
    {
        var environment = new Dictionary<string, EnvSetting>(StringComparer.Ordinal);
        foreach (var source in container.Maps("envFrom"))
        {
            var (kind, reference) = source.Get("configMapRef") is { } configMap ? ("ConfigMap", configMap) : ("Secret", source.Map("secretRef"));
            var name = reference.Text("name");
            foreach (var (key, value) in Data(kind, name))
            {
                environment[key] = new EnvSetting(key, value, $"{kind.ToLowerInvariant()}:{name}");
            }
        }

        foreach (var variable in container.Maps("env"))
        {
            var name = variable.Text("name");
            environment[name] = variable.Get("valueFrom") is { } valueFrom
                ? Resolve(name, valueFrom)
                : new EnvSetting(name, variable.Text("value", ""), "value");
        }

        return environment;
    }

    /// <summary>The data of a ConfigMap or Secret (<c>data</c> or <c>stringData</c>).</summary>
    public IReadOnlyDictionary<string, string> Data(string kind, string name)
    {
        var resource = Get(kind, name);
        var data = resource.Node.Get("data") ?? resource.Node.Get("stringData")
            ?? throw new InvalidDataException($"{resource} has no data.");
        return data.Scalars();
    }

    private EnvSetting Resolve(string name, YamlNode valueFrom)
    {
        if (valueFrom.Get("fieldRef") is { } fieldRef)
        {
            var path = fieldRef.Text("fieldPath");
            return new EnvSetting(name, path == "status.podIP" ? SamplePodIp : null, $"field:{path}");
        }

        var (kind, reference) = valueFrom.Get("secretKeyRef") is { } secretKey
            ? ("Secret", secretKey)
            : ("ConfigMap", valueFrom.Map("configMapKeyRef"));
        var source = reference.Text("name");
        var key = reference.Text("key");
        var data = Data(kind, source);
        Assert.True(data.ContainsKey(key), $"{name} refers to key '{key}', which {kind}/{source} does not have.");
        return new EnvSetting(name, data[key], $"{kind.ToLowerInvariant()}:{source}/{key}");
    }
}
