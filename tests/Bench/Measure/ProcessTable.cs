using System.Globalization;

namespace SafeGram.Bench.Measure;

/// <summary>
/// One server process that bench.sh started: its role (silo, gateway, postgres, redis, baseline), name, pid and, for
/// silos and gateways, the HTTP address that serves its <c>/metrics</c>.
/// </summary>
internal sealed record ServerProcess(string Role, string Name, int Pid, Uri? Http = null)
{
    /// <summary>PostgreSQL works in children of the postmaster.</summary>
    public bool WithChildren => Role == "postgres";
}

/// <summary>The pids file bench.sh keeps current: one <c>role name pid [http]</c> line per process.</summary>
internal static class ProcessTable
{
    public static IReadOnlyList<ServerProcess> Load(string path) =>
        [.. File.ReadLines(path)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(p => p.Length is 3 or 4)
            .Select(p => new ServerProcess(p[0], p[1], int.Parse(p[2], CultureInfo.InvariantCulture), p.Length == 4 ? new Uri(p[3]) : null))];

    public static IEnumerable<ServerProcess> OfRole(this IEnumerable<ServerProcess> processes, params string[] roles) =>
        processes.Where(p => roles.Contains(p.Role));
}
