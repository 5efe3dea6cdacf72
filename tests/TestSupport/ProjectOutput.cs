using System.Diagnostics;

namespace SafeGram.TestSupport;

/// <summary>
/// Finds an app's own output: the self-contained publish folder <c>./test.sh</c> names in
/// <c>SAFEGRAM_PUBLISHED_&lt;PROJECT&gt;</c> (what the container image ships), else its build output (same configuration
/// as the running tests).
/// </summary>
public static class ProjectOutput
{
    /// <summary>How to start <paramref name="project"/>: its published executable, or <c>dotnet</c> with its built assembly.</summary>
    public static ProcessStartInfo StartInfo(string project)
    {
        var published = Environment.GetEnvironmentVariable($"SAFEGRAM_PUBLISHED_{project.ToUpperInvariant()}");
        if (string.IsNullOrEmpty(published))
        {
            return new ProcessStartInfo("dotnet", [AssemblyPath(project)]);
        }

        var executable = Path.Combine(published, $"SafeGram.{project}");
        return File.Exists(executable)
            ? new ProcessStartInfo(executable)
            : throw new FileNotFoundException($"Publish {project} first ({executable} is missing).", executable);
    }

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
