using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace SafeGram.Deploy.Tests.Infrastructure;

/// <summary>Reads YAML files into node trees, with merge keys (<c>&lt;&lt;: *anchor</c>) applied, and navigates them.</summary>
internal static class Yaml
{
    private const string MergeKey = "<<";

    /// <summary>Every document of a (possibly multi-document) file; each must be a mapping.</summary>
    public static IReadOnlyList<YamlMappingNode> LoadDocuments(string path)
    {
        using var reader = File.OpenText(path);
        var stream = new YamlStream();
        stream.Load(reader);
        var documents = new List<YamlMappingNode>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode as YamlMappingNode
                ?? throw new InvalidDataException($"{path}: a document at line {document.RootNode.Start.Line} is not a mapping.");
            documents.Add((YamlMappingNode)ApplyMerges(root));
        }

        return documents;
    }

    /// <summary>
    /// Replaces each <c>&lt;&lt;</c> key by the entries it merges in (explicit keys win, then earlier sources).
    /// Subtrees without merge keys are returned as they are, so their line numbers survive.
    /// </summary>
    private static YamlNode ApplyMerges(YamlNode node)
    {
        switch (node)
        {
            case YamlMappingNode map:
            {
                var entries = map.Children.Select(entry => (entry.Key, Value: ApplyMerges(entry.Value))).ToList();
                var hasMerge = entries.Exists(entry => IsMergeKey(entry.Key));
                if (!hasMerge && entries.TrueForAll(entry => ReferenceEquals(entry.Value, map.Children[entry.Key])))
                {
                    return map;
                }

                var merged = new YamlMappingNode();
                foreach (var (key, value) in entries.Where(entry => !IsMergeKey(entry.Key)))
                {
                    merged.Add(key, value);
                }

                foreach (var (key, value) in entries.Where(entry => IsMergeKey(entry.Key)))
                {
                    var sources = value is YamlSequenceNode list ? list.Children : [value];
                    foreach (var source in sources)
                    {
                        var sourceMap = ApplyMerges(source) as YamlMappingNode
                            ?? throw new InvalidDataException($"The merge key at line {key.Start.Line} does not merge a mapping.");
                        foreach (var (sourceKey, sourceValue) in sourceMap.Children)
                        {
                            if (!merged.Children.ContainsKey(sourceKey))
                            {
                                merged.Add(sourceKey, sourceValue);
                            }
                        }
                    }
                }

                return merged;
            }

            case YamlSequenceNode sequence:
            {
                var items = sequence.Children.Select(ApplyMerges).ToList();
                return items.Select((item, i) => ReferenceEquals(item, sequence.Children[i])).All(same => same)
                    ? sequence
                    : new YamlSequenceNode(items);
            }

            default:
                return node;
        }
    }

    private static bool IsMergeKey(YamlNode key) => key is YamlScalarNode { Value: MergeKey, Style: not (YamlDotNet.Core.ScalarStyle.SingleQuoted or YamlDotNet.Core.ScalarStyle.DoubleQuoted) };

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlNode Required(this YamlNode node, string key) =>
        node.Get(key) ?? throw new InvalidDataException($"'{key}' is missing in the mapping at line {node.Start.Line}.");

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Required(key) as YamlMappingNode ?? throw new InvalidDataException($"'{key}' at line {node.Start.Line} is not a mapping.");

    public static IReadOnlyList<YamlNode> List(this YamlNode node, string key) =>
        node.Get(key) switch
        {
            null => [],
            YamlSequenceNode sequence => sequence.Children.ToList(),
            var other => throw new InvalidDataException($"'{key}' at line {other.Start.Line} is not a sequence."),
        };

    public static IReadOnlyList<YamlMappingNode> Maps(this YamlNode node, string key) =>
        node.List(key).Select(item => item as YamlMappingNode
            ?? throw new InvalidDataException($"An item of '{key}' at line {item.Start.Line} is not a mapping.")).ToList();

    public static string Text(this YamlNode node, string key) =>
        node.Text(key, null) ?? throw new InvalidDataException($"'{key}' is missing in the mapping at line {node.Start.Line}.");

    public static string? Text(this YamlNode node, string key, string? fallback) =>
        node.Get(key) switch
        {
            null => fallback,
            YamlScalarNode scalar => scalar.Value,
            var other => throw new InvalidDataException($"'{key}' at line {other.Start.Line} is not a scalar."),
        };

    public static int Number(this YamlNode node, string key) =>
        int.Parse(node.Text(key), NumberStyles.Integer, CultureInfo.InvariantCulture);

    public static bool Flag(this YamlNode node, string key) =>
        node.Text(key, null) is { } text && bool.Parse(text);

    public static IReadOnlyList<string> Strings(this YamlNode node, string key) =>
        node.Get(key) switch
        {
            null => [],
            YamlScalarNode scalar => [scalar.Value ?? ""],
            YamlSequenceNode sequence => sequence.Children.Select(item => ((YamlScalarNode)item).Value ?? "").ToList(),
            var other => throw new InvalidDataException($"'{key}' at line {other.Start.Line} is neither a scalar nor a list."),
        };

    /// <summary>A mapping of scalars as a dictionary; empty when the node is absent.</summary>
    public static IReadOnlyDictionary<string, string> Scalars(this YamlNode? node) =>
        node switch
        {
            null => new Dictionary<string, string>(),
            YamlMappingNode map => map.Children.ToDictionary(
                entry => ((YamlScalarNode)entry.Key).Value ?? "",
                entry => (entry.Value as YamlScalarNode)?.Value
                    ?? throw new InvalidDataException($"The value at line {entry.Value.Start.Line} is not a scalar."),
                StringComparer.Ordinal),
            var other => throw new InvalidDataException($"The node at line {other.Start.Line} is not a mapping."),
        };

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode node) =>
        node is YamlMappingNode map
            ? map.Children.Select(entry => (((YamlScalarNode)entry.Key).Value ?? "", entry.Value))
            : [];
}
