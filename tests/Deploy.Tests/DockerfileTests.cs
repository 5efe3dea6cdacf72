using System.Reflection;
using System.Text.Json;
using System.Xml.Linq;
using SafeGram.Deploy.Tests.Infrastructure;
using SafeGram.Gateway.Auth;

namespace SafeGram.Deploy.Tests;

/// <summary>Silo/Dockerfile and Gateway/Dockerfile: what they build, from which files, and how the image runs.</summary>
public sealed class DockerfileTests
{
    private const string SdkImage = "mcr.microsoft.com/dotnet/sdk:";

    /// <summary>Root files that shape every build: SDK pin, build settings, central package versions, analyzer settings.</summary>
    private static readonly string[] RootBuildFiles = ["global.json", "Directory.Build.props", "Directory.Packages.props", "TrimmedPublish.targets", ".editorconfig"];

    public static TheoryData<string> Apps => new() { "Silo", "Gateway" };

    /// <summary>
    /// Both apps are published self-contained (their own trimmed runtime, TrimmedPublish.targets), so their images need
    /// only the runtime's native dependencies.
    /// </summary>
    private const string RuntimeDepsImage = "mcr.microsoft.com/dotnet/runtime-deps:";

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_BuildsOnTheSdkAndRunsOnTheRuntimeImageOfTheTargetFramework(string project)
    {
        var dockerfile = Dockerfile.Load($"{project}/Dockerfile");
        var framework = TargetFrameworkVersion();

        Assert.True(dockerfile.Stages.Count >= 2, "Expected a multi-stage build.");
        Assert.Equal(SdkImage + framework, dockerfile.Build.Image);
        Assert.Equal(RuntimeDepsImage + framework, dockerfile.Runtime.Image);
        Assert.StartsWith(framework + ".", GlobalJsonSdkVersion(), StringComparison.Ordinal);

        // The runtime stage takes only the publish output of the build stage.
        var copies = dockerfile.Runtime.All("COPY").ToList();
        Assert.NotEmpty(copies);
        Assert.All(copies, copy => Assert.Contains($"--from={dockerfile.Build.Name}", copy.Flags));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_RestoresFromProjectFilesAloneBeforeCopyingSources(string project)
    {
        var build = Dockerfile.Load($"{project}/Dockerfile").Build;
        var instructions = build.Instructions.ToList();
        var restore = instructions.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "No RUN dotnet restore in the build stage.");
        Assert.Contains($"{project}/{project}.csproj", instructions[restore].Arguments, StringComparison.Ordinal);

        var beforeRestore = instructions.Take(restore).Where(i => i.Keyword == "COPY").SelectMany(Sources).ToList();
        var closure = ProjectClosure($"{project}/{project}.csproj");

        // Only project and build files: a source change must not invalidate the restore layer.
        Assert.All(beforeRestore, source => Assert.True(
            source.EndsWith(".csproj", StringComparison.Ordinal) || RootBuildFiles.Contains(source),
            $"{source} is copied before restore; only project and build files belong there."));
        Assert.Equal(closure.Order(StringComparer.Ordinal), beforeRestore.Where(s => s.EndsWith(".csproj", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        Assert.All(RootBuildFiles, file => Assert.Contains(file, beforeRestore));

        // Each project lands at its repository path, so relative ProjectReferences resolve.
        foreach (var copy in instructions.Take(restore).Where(i => i.Keyword == "COPY"))
        {
            var words = copy.Words;
            var destination = words[^1];
            foreach (var source in words.SkipLast(1).Where(s => s.Contains('/', StringComparison.Ordinal)))
            {
                Assert.Equal(Path.GetDirectoryName(source)!.Replace('\\', '/') + "/", destination);
            }
        }

        // After restore: the sources of every project in the closure.
        var afterRestore = instructions.Skip(restore + 1).Where(i => i.Keyword == "COPY").SelectMany(Sources).ToList();
        Assert.All(closure, csproj => Assert.Contains(Path.GetDirectoryName(csproj)!.Replace('\\', '/') + "/", afterRestore));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_PublishesItsProjectInRelease(string project)
    {
        var build = Dockerfile.Load($"{project}/Dockerfile").Build;

        var publish = Assert.Single(build.All("RUN"), run => run.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        var words = publish.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains($"{project}/{project}.csproj", words);
        Assert.Contains(words.Zip(words.Skip(1)), pair => pair is ("-c" or "--configuration", "Release"));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_RunsAsTheRuntimeImagesNonRootUser(string project)
    {
        var runtime = Dockerfile.Load($"{project}/Dockerfile").Runtime;

        var user = runtime.All("USER").LastOrDefault();
        Assert.NotNull(user);
        Assert.Contains(user.Arguments, new[] { "$APP_UID", "${APP_UID}", "app", "1654" });
        Assert.True(user.Line < runtime.Single("ENTRYPOINT").Line, "USER must come before ENTRYPOINT.");
    }

    [Theory]
    [InlineData("Silo", new[] { KnownSettings.SiloHttpPort, KnownSettings.SiloPort, KnownSettings.SiloGatewayPort })]
    [InlineData("Gateway", new[] { KnownSettings.GatewayHttpPort })]
    public void Dockerfile_ExposesTheAppsDefaultPortsAndSetsPort(string project, int[] ports)
    {
        var runtime = Dockerfile.Load($"{project}/Dockerfile").Runtime;

        var exposed = runtime.All("EXPOSE").SelectMany(expose => expose.Words).Select(port => int.Parse(port.Split('/')[0], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(ports.Order(), exposed.Order());
        Assert.Equal(ports[0].ToString(System.Globalization.CultureInfo.InvariantCulture), runtime.Environment()["PORT"]);
    }

    [Theory]
    [InlineData("Silo", App.Silo)]
    [InlineData("Gateway", App.Gateway)]
    public void Dockerfile_SetsOnlyKnownSettings(string project, App app)
    {
        var environment = Dockerfile.Load($"{project}/Dockerfile").Runtime.Environment();

        Assert.NotEmpty(environment);
        Assert.All(environment, variable => Assert.True(
            KnownSettings.IsKnown(app, variable.Key)
            // The .NET runtime images set ASPNETCORE_HTTP_PORTS=8080; clearing it is the only change allowed.
            || (variable.Key == "ASPNETCORE_HTTP_PORTS" && variable.Value.Length == 0),
            $"{project}/Dockerfile sets {variable.Key}, which {app} does not read."));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_EntrypointRunsTheAppsOwnExecutable(string project)
    {
        var entrypoint = Dockerfile.Load($"{project}/Dockerfile").Runtime.Entrypoint();

        // A self-contained publish names its executable after the assembly.
        Assert.Equal(["./" + RealAssemblyName(project)], entrypoint);
    }

    /// <summary>
    /// Restore and publish name the same platform, the one BuildKit builds for: restore fetches that platform's runtime
    /// and the trimmer, and publish (with --no-restore) can only use what restore fetched.
    /// </summary>
    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerfile_RestoresAndPublishesForTheImagesArchitecture(string project)
    {
        var build = Dockerfile.Load($"{project}/Dockerfile").Build;

        Assert.Contains(build.All("ARG"), arg => arg.Arguments == "TARGETARCH");
        var restore = Assert.Single(build.All("RUN"), run => run.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        var publish = Assert.Single(build.All("RUN"), run => run.Arguments.Contains("dotnet publish", StringComparison.Ordinal));
        Assert.All(new[] { restore, publish }, run => Assert.Contains("-a $TARGETARCH", run.Arguments, StringComparison.Ordinal));
    }

    [Fact]
    public void Dockerignore_KeepsBuildOutputTestsAndGitOutOfTheContext()
    {
        var patterns = DockerignorePatterns();

        Assert.All(new[] { "Silo/bin/Release/x.dll", "Grains/obj/project.assets.json", "tests/Deploy.Tests/x.cs", ".git" }, path =>
            Assert.True(IsIgnored(path, patterns), $"{path} would be sent to the build context."));
    }

    [Theory]
    [MemberData(nameof(Apps))]
    public void Dockerignore_KeepsEverythingTheDockerfileCopies(string project)
    {
        var patterns = DockerignorePatterns();
        var sources = Dockerfile.Load($"{project}/Dockerfile").Build.All("COPY").SelectMany(Sources).ToList();

        Assert.All(sources, source => Assert.False(IsIgnored(source.TrimEnd('/'), patterns), $".dockerignore drops {source}, which {project}/Dockerfile copies."));
        Assert.All(ProjectClosure($"{project}/{project}.csproj"), csproj => Assert.False(IsIgnored(csproj, patterns), $".dockerignore drops {csproj}."));
    }

    /// <summary>COPY sources of one instruction (not from another stage).</summary>
    private static IEnumerable<string> Sources(DockerInstruction copy) =>
        copy.Flags.Any(flag => flag.StartsWith("--from", StringComparison.Ordinal)) ? [] : copy.Words.SkipLast(1);

    /// <summary>A project and every project it references, transitively, as repository paths.</summary>
    private static HashSet<string> ProjectClosure(string csproj)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([csproj]);
        while (pending.TryPop(out var current))
        {
            if (!found.Add(current))
            {
                continue;
            }

            var document = XDocument.Parse(RepositoryFiles.Read(current));
            foreach (var reference in document.Descendants("ProjectReference"))
            {
                var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(RepositoryFiles.PathOf(current))!, reference.Attribute("Include")!.Value.Replace('\\', '/')));
                pending.Push(Path.GetRelativePath(RepositoryFiles.Root, full).Replace('\\', '/'));
            }
        }

        return found;
    }

    private static string TargetFrameworkVersion()
    {
        var framework = XDocument.Parse(RepositoryFiles.Read("Directory.Build.props")).Descendants("TargetFramework").Single().Value;
        Assert.StartsWith("net", framework, StringComparison.Ordinal);
        return framework["net".Length..];
    }

    private static string GlobalJsonSdkVersion()
    {
        using var json = JsonDocument.Parse(RepositoryFiles.Read("global.json"));
        return json.RootElement.GetProperty("sdk").GetProperty("version").GetString()!;
    }

    /// <summary>The assembly name the build really produces, not the one the Dockerfile hopes for.</summary>
    private static string RealAssemblyName(string project)
    {
        if (project == "Gateway")
        {
            return typeof(JwtSettings).Assembly.GetName().Name!;
        }

        var path = RepositoryFiles.BuildOutput(project, $"SafeGram.{project}.dll");
        Assert.True(File.Exists(path), $"{path} is missing: the test project builds {project} first.");
        return AssemblyName.GetAssemblyName(path).Name!;
    }

    private static List<string> DockerignorePatterns() =>
        RepositoryFiles.Read(".dockerignore").Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.Length > 0 && !line.StartsWith('#'))
            .ToList();

    /// <summary>
    /// Enough of .dockerignore matching for these files: <c>**/</c> matches at any depth, other patterns
    /// match from the root, a pattern that matches a folder excludes everything below it, <c>!</c> re-includes.
    /// </summary>
    private static bool IsIgnored(string path, List<string> patterns)
    {
        var segments = path.Split('/');
        var ignored = false;
        foreach (var raw in patterns)
        {
            var include = raw.StartsWith('!');
            var pattern = raw.TrimStart('!').TrimEnd('/');
            var anyDepth = pattern.StartsWith("**/", StringComparison.Ordinal);
            var patternSegments = (anyDepth ? pattern[3..] : pattern).Split('/');
            var starts = anyDepth ? Enumerable.Range(0, segments.Length) : [0];
            var matches = starts.Any(start =>
                start + patternSegments.Length <= segments.Length
                && patternSegments.Select((p, i) => System.IO.Enumeration.FileSystemName.MatchesSimpleExpression(p, segments[start + i], ignoreCase: false)).All(m => m));
            if (matches)
            {
                ignored = !include;
            }
        }

        return ignored;
    }
}
