using System.Diagnostics;

namespace SafeGram.Bench.Measure;

/// <summary>
/// CPU-seconds and context switches per role over an interval, plus this tool (and, for CPU, reaped children such as
/// wrk) and the whole machine. Load-generating children that are still running (socket holders) are passed in with the
/// role <c>client</c>.
/// </summary>
internal sealed class CpuMeter
{
    private readonly IReadOnlyList<ServerProcess> _processes;
    private readonly Dictionary<ServerProcess, long> _start;
    private readonly Dictionary<ServerProcess, long> _switchesStart;
    private readonly long _selfStart;
    private readonly long _selfSwitchesStart;
    private readonly (long Busy, long Total) _machineStart;
    private readonly long _machineSwitchesStart;
    private readonly long _startedAt = Stopwatch.GetTimestamp();

    private CpuMeter(IReadOnlyList<ServerProcess> processes)
    {
        _processes = processes;
        _start = processes.ToDictionary(p => p, p => ProcFs.CpuTicks(p.Pid, p.WithChildren));
        _switchesStart = processes.ToDictionary(p => p, p => ProcFs.ContextSwitches(p.Pid, p.WithChildren));
        _selfStart = ProcFs.SelfAndReapedTicks();
        _selfSwitchesStart = ProcFs.ContextSwitches(Environment.ProcessId, withChildren: false);
        _machineStart = ProcFs.MachineTicks();
        _machineSwitchesStart = ProcFs.MachineContextSwitches();
    }

    public static CpuMeter Start(IReadOnlyList<ServerProcess> processes) => new(processes);

    /// <summary>
    /// CPU-seconds and context switches since the start: by role, <c>client</c> (this tool, with its reaped children's
    /// CPU) and <c>machine</c>.
    /// </summary>
    public CpuUsage Stop()
    {
        var seconds = new Dictionary<string, double>(StringComparer.Ordinal);
        var switches = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var process in _processes)
        {
            var used = (ProcFs.CpuTicks(process.Pid, process.WithChildren) - _start[process]) / ProcFs.TicksPerSecond;
            seconds[process.Role] = seconds.GetValueOrDefault(process.Role) + Math.Max(0, used);
            var switched = ProcFs.ContextSwitches(process.Pid, process.WithChildren) - _switchesStart[process];
            switches[process.Role] = switches.GetValueOrDefault(process.Role) + Math.Max(0, switched);
        }

        seconds["client"] = seconds.GetValueOrDefault("client") + (ProcFs.SelfAndReapedTicks() - _selfStart) / ProcFs.TicksPerSecond;
        switches["client"] = switches.GetValueOrDefault("client") + ProcFs.ContextSwitches(Environment.ProcessId, withChildren: false) - _selfSwitchesStart;
        var machine = ProcFs.MachineTicks();
        seconds["machine"] = (machine.Busy - _machineStart.Busy) / ProcFs.TicksPerSecond;
        switches["machine"] = ProcFs.MachineContextSwitches() - _machineSwitchesStart;
        return new CpuUsage(Stopwatch.GetElapsedTime(_startedAt).TotalSeconds, seconds, switches);
    }
}

/// <summary>
/// CPU-seconds and context switches by role over <see cref="WallSeconds"/>; <see cref="Cores"/> divides the CPU by the
/// wall time.
/// </summary>
internal sealed record CpuUsage(double WallSeconds, IReadOnlyDictionary<string, double> Seconds, IReadOnlyDictionary<string, long> Switches)
{
    private static readonly string[] ServerRoles = ["silo", "gateway", "postgres", "redis"];

    public double ServerSeconds => ServerRoles.Sum(r => Seconds.GetValueOrDefault(r));

    public long ServerSwitches => ServerRoles.Sum(r => Switches.GetValueOrDefault(r));

    /// <summary>What ran on the machine that was neither our servers nor this tool (other users of the box).</summary>
    public double OtherSeconds => Math.Max(0, Seconds.GetValueOrDefault("machine") - Seconds.Where(kv => kv.Key != "machine").Sum(kv => kv.Value));

    public Dictionary<string, double> Cores()
    {
        var cores = Seconds.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value / Math.Max(WallSeconds, 0.001), 2), StringComparer.Ordinal);
        cores["other"] = Math.Round(OtherSeconds / Math.Max(WallSeconds, 0.001), 2);
        return cores;
    }
}
