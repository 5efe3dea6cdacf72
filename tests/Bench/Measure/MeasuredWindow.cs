namespace SafeGram.Bench.Measure;

/// <summary>
/// CPU and garbage collections over a window that opens while the load is already running (at the first measured send
/// after a warm-up), so that what only a fresh cluster pays — tier-up, the first promotions of its state — stays out.
/// </summary>
internal sealed class MeasuredWindow(IReadOnlyList<ServerProcess> processes, CancellationToken cancellationToken)
{
    private Task<(CpuMeter Cpu, GcCounters Gc)>? _opened;

    /// <summary>
    /// Opens the window (once; later calls do nothing). Called from the send loop, so it returns at once: the CPU reading
    /// is taken now, the GC counters' first scrape finishes in the background.
    /// </summary>
    public void Open() => _opened ??= OpenAsync();

    /// <summary>CPU and collections since <see cref="Open"/> (opened now if it never was: an empty window).</summary>
    public async Task<(CpuUsage Cpu, IReadOnlyDictionary<string, GcTotals> Gc)> CloseAsync()
    {
        var (cpu, gc) = await (_opened ??= OpenAsync());
        var used = cpu.Stop();
        return (used, await gc.StopAsync(cancellationToken));
    }

    private async Task<(CpuMeter, GcCounters)> OpenAsync()
    {
        var cpu = CpuMeter.Start(processes);
        return (cpu, await GcCounters.StartAsync(processes, cancellationToken));
    }
}
