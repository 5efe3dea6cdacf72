using System.Globalization;

namespace SafeGram.Bench.Measure;

/// <summary>One server process that bench.sh started: its role (silo, gateway, postgres, redis, baseline), name and pid.</summary>
internal sealed record ServerProcess(string Role, string Name, int Pid)
{
    /// <summary>PostgreSQL works in children of the postmaster.</summary>
    public bool WithChildren => Role == "postgres";
}

/// <summary>The pids file bench.sh keeps current: one <c>role name pid</c> line per process.</summary>
internal static class ProcessTable
{
    public static IReadOnlyList<ServerProcess> Load(string path) =>
        [.. File.ReadLines(path)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length == 3)
            .Select(p => new ServerProcess(p[0], p[1], int.Parse(p[2], CultureInfo.InvariantCulture)))];

    public static IEnumerable<ServerProcess> OfRole(this IEnumerable<ServerProcess> processes, params string[] roles) =>
        processes.Where(p => roles.Contains(p.Role));
}
