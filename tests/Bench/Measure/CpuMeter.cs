using System.Diagnostics;

namespace SafeGram.Bench.Measure;

/// <summary>
/// CPU-seconds per role over an interval, plus this tool (and reaped children such as wrk) and the whole machine.
/// Load-generating children that are still running (socket holders) are passed in with the role <c>client</c>.
/// </summary>
internal sealed class CpuMeter
{
    private readonly IReadOnlyList<ServerProcess> _processes;
    private readonly Dictionary<ServerProcess, long> _start;
    private readonly long _selfStart;
    private readonly (long Busy, long Total) _machineStart;
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private CpuMeter(IReadOnlyList<ServerProcess> processes)
    {
        _processes = processes;
        _start = processes.ToDictionary(p => p, p => ProcFs.CpuTicks(p.Pid, p.WithChildren));
        _selfStart = ProcFs.SelfAndReapedTicks();
        _machineStart = ProcFs.MachineTicks();
    }

    public static CpuMeter Start(IReadOnlyList<ServerProcess> processes) => new(processes);

    /// <summary>CPU-seconds used since the start: by role, <c>client</c> (this tool and its reaped children), <c>machine</c> and <c>wall</c>.</summary>
    public CpuUsage Stop()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var process in _processes)
        {
            var used = (ProcFs.CpuTicks(process.Pid, process.WithChildren) - _start[process]) / ProcFs.TicksPerSecond;
            seconds[process.Role] = seconds.GetValueOrDefault(process.Role) + Math.Max(0, used);
        }

        seconds["client"] = seconds.GetValueOrDefault("client") + (ProcFs.SelfAndReapedTicks() - _selfStart) / ProcFs.TicksPerSecond;
        var machine = ProcFs.MachineTicks();
        seconds["machine"] = (machine.Busy - _machineStart.Busy) / ProcFs.TicksPerSecond;
        return new CpuUsage(Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, seconds);
    }
}

/// <summary>CPU-seconds by role over <see cref="WallSeconds"/>; <see cref="Cores"/> divides by the wall time.</summary>
internal sealed record CpuUsage(double WallSeconds, IReadOnlyDictionary<string, double> Seconds)
{
    private static readonly string[] ServerRoles = ["silo", "gateway", "postgres", "redis"];

    public double ServerSeconds => ServerRoles.Sum(r => Seconds.GetValueOrDefault(r));

    /// <summary>What ran on the machine that was neither our servers nor this tool (other users of the box).</summary>
    public double OtherSeconds => Math.Max(0, Seconds.GetValueOrDefault("machine") - Seconds.Where(kv => kv.Key != "machine").Sum(kv => kv.Value));

    public Dictionary<string, double> Cores()
    {
        var cores = Seconds.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / Math.Max(WallSeconds, 0.001), 2), StringComparer.Ordinal);
        cores["other"] = Math.Round(OtherSeconds / Math.Max(WallSeconds, 0.001), 2);
        return cores;
    }
}
