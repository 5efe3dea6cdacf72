using System.Globalization;

namespace SafeGram.Bench.Measure;

/// <summary>Reads process and machine counters from /proc (Linux only).</summary>
internal static class ProcFs
{
    /// <summary>Clock ticks per second of /proc/*/stat and /proc/stat (USER_HZ, 100 on Linux).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>
    /// CPU ticks the process used (user + system). With <paramref name="withChildren"/> also its live children and its
    /// reaped ones (PostgreSQL's backends are children of the postmaster).
    /// </summary>
    public static long CpuTicks(int pid, bool withChildren)
    {
        if (ReadStat(pid) is not { } own)
        {
            return 0;
        }

        var ticks = own[11] + own[12];
        if (!withChildren)
        {
            return ticks;
        }

        ticks += own[13] + own[14];
        foreach (var child in Children(pid))
        {
            if (ReadStat(child) is { } stat)
            {
                ticks += stat[11] + stat[12];
            }
        }

        return ticks;
    }

    /// <summary>This process's own CPU plus that of children it has reaped (e.g. wrk).</summary>
    public static long SelfAndReapedTicks()
    {
        var own = ReadStat(Environment.ProcessId)!;
        return own[11] + own[12] + own[13] + own[14];
    }

    /// <summary>
    /// Context switches (voluntary and involuntary) of every live thread of the process, and with
    /// <paramref name="withChildren"/> of its live children's threads; threads that ended are not counted.
    /// </summary>
    public static long ContextSwitches(int pid, bool withChildren)
    {
        var switches = ThreadSwitches(pid);
        if (withChildren)
        {
            foreach (var child in Children(pid))
            {
                switches += ThreadSwitches(child);
            }
        }

        return switches;
    }

    /// <summary>Context switches of the whole machine since boot (<c>ctxt</c> in /proc/stat).</summary>
    public static long MachineContextSwitches()
    {
        var line = File.ReadLines("/proc/stat").First(l => l.StartsWith("ctxt ", StringComparison.Ordinal));
        return long.Parse(line.AsSpan(5).Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>Resident set size in KB (VmRSS), 0 when the process is gone.</summary>
    public static long RssKb(int pid) => StatusField(pid, "VmRSS:");

    /// <summary>
    /// VmRSS in KB by kind: anonymous (heaps, stacks), file-backed (mapped code and data files) and shared memory (for
    /// .NET mostly the executable allocator's double-mapped loader heaps and JIT code).
    /// </summary>
    public static (long AnonKb, long FileKb, long SharedKb) RssByKindKb(int pid) =>
        (StatusField(pid, "RssAnon:"), StatusField(pid, "RssFile:"), StatusField(pid, "RssShmem:"));

    /// <summary>Busy and total jiffies of the whole machine (first line of /proc/stat).</summary>
    public static (long Busy, long Total) MachineTicks()
    {
        var line = File.ReadLines("/proc/stat").First();
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(long.Parse).ToArray();
        var total = fields.Take(8).Sum();
        var idle = fields[3] + fields[4];
        return (total - idle, total);
    }

    /// <summary>Kernel memory: TCP buffer pages (sockstat) and slab KB (meminfo).</summary>
    public static (long TcpPages, long SlabKb, long SocketsUsed) KernelMemory()
    {
        long tcpPages = 0, used = 0;
        foreach (var line in File.ReadLines("/proc/net/sockstat"))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts[0] == "sockets:")
            {
                used = Field(parts, "used");
            }
            else if (parts[0] == "TCP:")
            {
                tcpPages = Field(parts, "mem");
            }
        }

        var slab = File.ReadLines("/proc/meminfo").First(l => l.StartsWith("Slab:", StringComparison.Ordinal));
        return (tcpPages, long.Parse(slab.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture), used);
    }

    public static string CpuModel() =>
        File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
        ?? "unknown";

    private static long Field(string[] parts, string name)
    {
        var index = Array.IndexOf(parts, name);
        return index >= 0 && index + 1 < parts.Length ? long.Parse(parts[index + 1], CultureInfo.InvariantCulture) : 0;
    }

    private static long StatusField(int pid, string prefix) => StatusField($"/proc/{pid}", prefix);

    private static long StatusField(string directory, string prefix)
    {
        try
        {
            var line = File.ReadLines($"{directory}/status").FirstOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line[prefix.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static long ThreadSwitches(int pid)
    {
        long switches = 0;
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                switches += StatusField(task, "voluntary_ctxt_switches:") + StatusField(task, "nonvoluntary_ctxt_switches:");
            }
        }
        catch (DirectoryNotFoundException)
        {
            // The process ended: nothing of it is counted.
        }

        return switches;
    }

    /// <summary>The fields after the command name: index 0 is field 3 (state), so field N is at N-3.</summary>
    private static long[]? ReadStat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            var rest = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            return [.. rest.Select(f => long.TryParse(f, out var v) ? v : 0)];
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static IEnumerable<int> Children(int parent)
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != parent && ReadStat(pid) is { } stat && stat[1] == parent)
            {
                yield return pid;
            }
        }
    }
}
