namespace SafeGram.Bench.Measure;

/// <summary>
/// CPU, garbage collections and the servers' own send histograms over a window that opens while the load is already
/// running (at the first measured send after a warm-up), so that what only a fresh cluster pays — tier-up, the first
/// promotions of its state — stays out.
/// </summary>
internal sealed class MeasuredWindow(IReadOnlyList<ServerProcess> processes, CancellationToken cancellationToken)
{
    private Task<(CpuMeter Cpu, GcCounters Gc, SendStages Stages)>? _opened;

    /// <summary>
    /// Opens the window (once; later calls do nothing). Called from the send loop, so it returns at once: the CPU reading
    /// is taken now, the first scrapes of the servers' metrics finish in the background.
    /// </summary>
    public void Open() => _opened ??= OpenAsync();

    /// <summary>What was used and recorded since <see cref="Open"/> (opened now if it never was: an empty window).</summary>
    public async Task<WindowReadings> CloseAsync()
    {
        var (cpu, gc, stages) = await (_opened ??= OpenAsync());
        var used = cpu.Stop();
        var metrics = await MetricsScrape.AllAsync(processes, "metrics", cancellationToken);
        return new WindowReadings(used, gc.Stop(metrics), stages.Stop(metrics));
    }

    private async Task<(CpuMeter, GcCounters, SendStages)> OpenAsync()
    {
        var cpu = CpuMeter.Start(processes);
        var metrics = await MetricsScrape.AllAsync(processes, "metrics", cancellationToken);
        return (cpu, GcCounters.Start(metrics), SendStages.Start(metrics));
    }
}

/// <summary>CPU by role, collections by role and the servers' send-latency percentiles over one window.</summary>
internal sealed record WindowReadings(CpuUsage Cpu, IReadOnlyDictionary<string, GcTotals> Gc, IReadOnlyDictionary<string, double> SendStages);
