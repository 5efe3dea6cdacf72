using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Report;

/// <summary>Where and how the run happened.</summary>
internal sealed record RunInfo(string Mode, string Commit, string Date, string CpuModel, int Cores, long MemoryMb, string Topology)
{
    public static RunInfo Read(string mode, string commit, string topology)
    {
        var memKb = File.ReadLines("/proc/meminfo")
            .Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture))
            .FirstOrDefault();
        return new RunInfo(mode, commit, DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            ProcFs.CpuModel(), Environment.ProcessorCount, memKb / 1024, topology);
    }
}
