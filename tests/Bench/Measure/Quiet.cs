using System.Diagnostics;

namespace SafeGram.Bench.Measure;

/// <summary>
/// Waits (bounded) until the servers have worked off earlier load: two consecutive seconds in which our server
/// processes use under <see cref="BusyCores"/> cores and (if given) fewer than <see cref="BusyFrames"/> frames arrive.
/// </summary>
internal static class Quiet
{
    private const double BusyCores = 0.3;
    private const long BusyFrames = 50;

    public static async Task<double> WaitAsync(IReadOnlyList<ServerProcess> processes, Func<long>? frames, TimeSpan limit)
    {
        var servers = processes.OfRole("silo", "gateway", "postgres").ToList();
        var started = Stopwatch.GetTimestamp();
        var calm = 0;
        while (calm < 2 && Stopwatch.GetElapsedTime(started) < limit)
        {
            var ticks = servers.Sum(p => ProcFs.CpuTicks(p.Pid, p.WithChildren));
            var frameCount = frames?.Invoke() ?? 0;
            await Task.Delay(TimeSpan.FromSeconds(1));
            var cores = (servers.Sum(p => ProcFs.CpuTicks(p.Pid, p.WithChildren)) - ticks) / ProcFs.TicksPerSecond;
            var newFrames = (frames?.Invoke() ?? 0) - frameCount;
            calm = cores < BusyCores && newFrames < BusyFrames ? calm + 1 : 0;
        }

        return Stopwatch.GetElapsedTime(started).TotalSeconds;
    }
}
