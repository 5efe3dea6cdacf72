namespace SafeGram.TestSupport;

/// <summary>Finds an app's own build output (same configuration as the running tests).</summary>
public static class ProjectOutput
{
    public static string AssemblyPath(string project)
    {
        var testBin = new DirectoryInfo(AppContext.BaseDirectory);          // …/tests/X/bin/<Configuration>/net10.0/
        var configuration = testBin.Parent!.Name;
        var framework = testBin.Name;
        var root = RepositoryRoot();
        var path = Path.Combine(root, project, "bin", configuration, framework, $"SafeGram.{project}.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first ({path} is missing).", path);
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SafeGram.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("SafeGram.sln not found above the test output.");
    }
}
