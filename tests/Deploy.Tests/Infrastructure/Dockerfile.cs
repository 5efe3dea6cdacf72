using System.Text.Json;

namespace SafeGram.Deploy.Tests.Infrastructure;

/// <summary>One instruction; continuation lines are joined, comments dropped.</summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Line)
{
    /// <summary>The arguments without leading <c>--flag=value</c> options.</summary>
    public IReadOnlyList<string> Words =>
        Arguments.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).SkipWhile(word => word.StartsWith("--", StringComparison.Ordinal)).ToList();

    public IReadOnlyList<string> Flags =>
        Arguments.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries).TakeWhile(word => word.StartsWith("--", StringComparison.Ordinal)).ToList();
}

/// <summary>A build stage: <c>FROM image [AS name]</c> and what follows it.</summary>
internal sealed record DockerStage(string Image, string? Name, IReadOnlyList<DockerInstruction> Instructions)
{
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(instruction => instruction.Keyword == keyword);

    public DockerInstruction Single(string keyword)
    {
        var found = All(keyword).ToList();
        Assert.True(found.Count == 1, $"Expected exactly one {keyword} in the stage FROM {Image}, found {found.Count}.");
        return found[0];
    }

    /// <summary>ENV in both forms: <c>ENV A=1 B=2</c> and the legacy <c>ENV A 1</c>.</summary>
    public IReadOnlyDictionary<string, string> Environment()
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var env in All("ENV"))
        {
            var words = env.Arguments.Split((char[])[' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length > 0 && !words[0].Contains('=', StringComparison.Ordinal))
            {
                variables[words[0]] = string.Join(' ', words.Skip(1));
                continue;
            }

            foreach (var word in words)
            {
                var (name, value) = word.Split('=', 2) is [var n, var v] ? (n, v) : (word, "");
                variables[name] = value.Trim('"');
            }
        }

        return variables;
    }

    /// <summary>The JSON (exec) form of ENTRYPOINT; the shell form would not forward SIGTERM to dotnet.</summary>
    public IReadOnlyList<string> Entrypoint()
    {
        var entrypoint = Single("ENTRYPOINT").Arguments;
        Assert.StartsWith("[", entrypoint, StringComparison.Ordinal);
        return JsonSerializer.Deserialize<string[]>(entrypoint) ?? [];
    }
}

/// <summary>A Dockerfile parsed into stages, enough to check what it builds and how it runs.</summary>
internal sealed class Dockerfile
{
    private Dockerfile(string path, IReadOnlyList<DockerStage> stages)
    {
        Path = path;
        Stages = stages;
    }

    public string Path { get; }

    public IReadOnlyList<DockerStage> Stages { get; }

    public DockerStage Build => Stages[0];

    public DockerStage Runtime => Stages[^1];

    public static Dockerfile Load(string relativePath)
    {
        var instructions = Parse(RepositoryFiles.Read(relativePath));
        var stages = new List<DockerStage>();
        string? image = null, name = null;
        var current = new List<DockerInstruction>();
        foreach (var instruction in instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                if (image is not null)
                {
                    stages.Add(new DockerStage(image, name, current));
                }

                var words = instruction.Words;
                image = words[0];
                name = words.Count >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2] : null;
                current = [];
            }
            else
            {
                Assert.True(image is not null, $"{relativePath}:{instruction.Line}: {instruction.Keyword} before FROM.");
                current.Add(instruction);
            }
        }

        Assert.True(image is not null, $"{relativePath} has no FROM.");
        stages.Add(new DockerStage(image!, name, current));
        return new Dockerfile(relativePath, stages);
    }

    private static List<DockerInstruction> Parse(string text)
    {
        var instructions = new List<DockerInstruction>();
        var pending = "";
        var startLine = 0;
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (trimmed.StartsWith('#') || (trimmed.Length == 0 && pending.Length == 0))
            {
                continue;   // comments (and parser directives), also inside continued instructions
            }

            if (pending.Length == 0)
            {
                startLine = i + 1;
            }

            var continues = trimmed.EndsWith('\\');
            pending += " " + (continues ? trimmed[..^1] : trimmed);
            if (!continues)
            {
                var joined = pending.Trim();
                pending = "";
                if (joined.Length == 0)
                {
                    continue;
                }

                var split = joined.IndexOfAny([' ', '\t']);
                var keyword = (split < 0 ? joined : joined[..split]).ToUpperInvariant();
                var arguments = split < 0 ? "" : joined[(split + 1)..].Trim();
                instructions.Add(new DockerInstruction(keyword, arguments, startLine));
            }
        }

        Assert.True(pending.Length == 0, "The Dockerfile ends inside a continued instruction.");
        return instructions;
    }
}
