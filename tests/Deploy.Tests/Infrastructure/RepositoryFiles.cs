namespace SafeGram.Deploy.Tests.Infrastructure;

/// <summary>Paths inside the repository the tests run from.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    public static string PathOf(string relativePath) =>
        Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar));

    public static string Read(string relativePath)
    {
        var path = PathOf(relativePath);
        Assert.True(File.Exists(path), $"{relativePath} is missing.");
        return File.ReadAllText(path);
    }

    /// <summary>An app's own build output, in the configuration the tests were built in.</summary>
    public static string BuildOutput(string project, string fileName)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));  // …/bin/<Configuration>/<tfm>
        return Path.Combine(Root, project, "bin", testBin.Parent!.Name, testBin.Name, fileName);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeGram.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"SafeGram.sln not found above {AppContext.BaseDirectory}.");
    }
}
