using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace SafeGram.Deploy.Tests.Infrastructure;

/// <summary>One service of deploy/compose.yaml, with anchors and merge keys applied.</summary>
internal sealed record ComposeService(string Name, YamlMappingNode Node)
{
    public string? Image => Node.Text("image", null);

    /// <summary>The SafeGram process this service runs, or null for infrastructure (postgres, redis, proxy).</summary>
    public App? App => Image switch
    {
        not null when Image.StartsWith("safegram/silo:", StringComparison.Ordinal) =>
            Command.Contains("migrate") ? Infrastructure.App.Schema : Infrastructure.App.Silo,
        not null when Image.StartsWith("safegram/gateway:", StringComparison.Ordinal) => Infrastructure.App.Gateway,
        _ => null,
    };

    public IReadOnlyList<string> Command => Node.Get("command") switch
    {
        YamlScalarNode scalar => (scalar.Value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries),
        _ => Node.Strings("command"),
    };

    /// <summary><c>environment</c> in either form (mapping, or list of <c>NAME=value</c>); values are not interpolated.</summary>
    public IReadOnlyDictionary<string, string> Environment => Node.Get("environment") switch
    {
        null => new Dictionary<string, string>(),
        YamlSequenceNode list => list.Children
            .Select(item => ((YamlScalarNode)item).Value!.Split('=', 2))
            .ToDictionary(parts => parts[0], parts => parts.Length > 1 ? parts[1] : "", StringComparer.Ordinal),
        var map => map.Scalars(),
    };

    /// <summary>depends_on as service → condition (the short list form means service_started).</summary>
    public IReadOnlyDictionary<string, string> DependsOn => Node.Get("depends_on") switch
    {
        null => new Dictionary<string, string>(),
        YamlSequenceNode list => list.Children.ToDictionary(item => ((YamlScalarNode)item).Value!, _ => "service_started", StringComparer.Ordinal),
        var map => map.Entries().ToDictionary(entry => entry.Key, entry => entry.Value.Text("condition", "service_started")!, StringComparer.Ordinal),
    };

    public override string ToString() => $"compose service '{Name}'";
}

/// <summary>deploy/compose.yaml, parsed.</summary>
internal sealed partial class ComposeFile
{
    public const string RelativePath = "deploy/compose.yaml";

    private static readonly Lazy<ComposeFile> Loaded = new(() => new ComposeFile());

    private ComposeFile()
    {
        Root = Yaml.LoadDocuments(RepositoryFiles.PathOf(RelativePath)).Single();
        Services = Root.Map("services").Entries()
            .Select(entry => new ComposeService(entry.Key, (YamlMappingNode)entry.Value))
            .ToList();
    }

    public static ComposeFile Instance => Loaded.Value;

    /// <summary>The folder relative paths in the file (build contexts, volumes) start from.</summary>
    public static string Directory => Path.GetDirectoryName(RepositoryFiles.PathOf(RelativePath))!;

    public YamlMappingNode Root { get; }

    public IReadOnlyList<ComposeService> Services { get; }

    public ComposeService Service(string name) =>
        Services.SingleOrDefault(service => service.Name == name) ?? throw new InvalidDataException($"No service '{name}' in {RelativePath}.");

    public IReadOnlyList<ComposeService> Of(App app) => Services.Where(service => service.App == app).ToList();

    /// <summary>
    /// Compose's variable interpolation: <c>${NAME}</c>, <c>${NAME:-default}</c>, <c>${NAME:?error}</c>, <c>$$</c>.
    /// A required variable missing from <paramref name="variables"/> fails the test, as compose would refuse to start.
    /// </summary>
    public static string Interpolate(string value, IReadOnlyDictionary<string, string> variables) =>
        Variable().Replace(value, match =>
        {
            if (match.Value == "$$")
            {
                return "$";
            }

            var name = match.Groups["name"].Value;
            var hasValue = variables.TryGetValue(name, out var set) && set.Length > 0;
            return match.Groups["op"].Value switch
            {
                ":-" => hasValue ? set! : match.Groups["arg"].Value,
                ":?" => hasValue ? set! : throw new InvalidOperationException($"compose would refuse to start: {name} is required ({match.Groups["arg"].Value})."),
                _ => hasValue ? set! : "",
            };
        });

    [GeneratedRegex(@"\$\$|\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?<op>:[-?])(?<arg>[^}]*))?\}")]
    private static partial Regex Variable();
}
