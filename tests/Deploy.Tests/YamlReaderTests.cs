using SafeGram.Deploy.Tests.Infrastructure;

namespace SafeGram.Deploy.Tests;

/// <summary>The YAML reading every other test relies on: documents, anchors and merge keys as compose and kubectl read them.</summary>
public sealed class YamlReaderTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"safegram-yaml-{Guid.NewGuid():N}.yaml");

    [Fact]
    public void LoadDocuments_ReadsEveryDocumentOfAMultiDocumentFile()
    {
        File.WriteAllText(_path, "kind: A\n---\n# comment\nkind: B\n---\nkind: C\n");

        Assert.Equal(new[] { "A", "B", "C" }, Yaml.LoadDocuments(_path).Select(d => d.Text("kind")));
    }

    [Fact]
    public void LoadDocuments_AppliesMergeKeysWithExplicitKeysAndEarlierSourcesWinning()
    {
        File.WriteAllText(_path, """
            base: &base { a: base, b: base }
            other: &other { b: other, c: other }
            merged:
              <<: [*base, *other]
              a: own
            nested:
              inner:
                <<: *base
            """);

        var root = Assert.Single(Yaml.LoadDocuments(_path));

        Assert.Equal(new Dictionary<string, string> { ["a"] = "own", ["b"] = "base", ["c"] = "other" }, root.Get("merged").Scalars());
        Assert.Equal("base", root.Map("nested").Map("inner").Text("b"));
        Assert.Null(root.Map("merged").Get("<<"));
    }

    [Fact]
    public void LoadDocuments_RejectsADocumentThatIsNotAMapping()
    {
        File.WriteAllText(_path, "kind: A\n---\n- just\n- a list\n");

        Assert.Throws<InvalidDataException>(() => Yaml.LoadDocuments(_path));
    }

    public void Dispose() => File.Delete(_path);
}
