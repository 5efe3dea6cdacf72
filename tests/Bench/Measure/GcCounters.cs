namespace SafeGram.Bench.Measure;

/// <summary>
/// Garbage collections, their pause time and the bytes allocated over an interval, by role: silos and gateways from the
/// runtime counters they export at <c>/metrics</c> (two scrapes, nothing attached to the process), and this tool
/// (<c>client</c>) from its own GC. On a saturated box a process's GC pause stalls everything it holds, so the report
/// shows them beside the latency they are part of.
/// </summary>
internal sealed class GcCounters
{
    private readonly Dictionary<ServerProcess, GcTotals> _start;
    private readonly GcTotals _selfStart = SelfTotals();

    private GcCounters(Dictionary<ServerProcess, GcTotals> start) => _start = start;

    /// <summary>Takes the first reading of every process that serves <c>/metrics</c>; one that does not answer is left out.</summary>
    public static async Task<GcCounters> StartAsync(IEnumerable<ServerProcess> processes, CancellationToken cancellationToken)
    {
        var start = new Dictionary<ServerProcess, GcTotals>();
        foreach (var process in processes.Where(p => p.Http is not null))
        {
            if (await ScrapeAsync(process, cancellationToken) is { } totals)
            {
                start[process] = totals;
            }
        }

        return new GcCounters(start);
    }

    /// <summary>Collections, pause milliseconds and allocated bytes since the start, by role (processes that did not answer twice are left out).</summary>
    public async Task<IReadOnlyDictionary<string, GcTotals>> StopAsync(CancellationToken cancellationToken)
    {
        var byRole = new Dictionary<string, GcTotals>(StringComparer.Ordinal) { ["client"] = SelfTotals() - _selfStart };
        foreach (var (process, start) in _start)
        {
            if (await ScrapeAsync(process, cancellationToken) is { } end)
            {
                byRole[process.Role] = byRole.GetValueOrDefault(process.Role) + (end - start);
            }
        }

        return byRole;
    }

    private static GcTotals SelfTotals() =>
        new(GC.CollectionCount(0), GC.GetTotalPauseDuration().TotalMilliseconds, GC.GetTotalAllocatedBytes());

    private static async Task<GcTotals?> ScrapeAsync(ServerProcess process, CancellationToken cancellationToken) =>
        await MetricsScrape.TextAsync(process, "GC counters", cancellationToken) is { } text ? Parse(text) : null;

    /// <summary>
    /// Sums <c>dotnet_gc_collections_total</c> over generations and reads <c>dotnet_gc_pause_time_seconds_total</c> and
    /// <c>dotnet_gc_heap_total_allocated_bytes_total</c>.
    /// </summary>
    private static GcTotals Parse(string prometheusText)
    {
        var collections = 0.0;
        var pauseSeconds = 0.0;
        var allocated = 0.0;
        foreach (var line in prometheusText.AsSpan().EnumerateLines())
        {
            if (line.StartsWith("dotnet_gc_collections_total{"))
            {
                collections += MetricsScrape.SampleValue(line);
            }
            else if (line.StartsWith("dotnet_gc_pause_time_seconds_total"))
            {
                pauseSeconds += MetricsScrape.SampleValue(line);
            }
            else if (line.StartsWith("dotnet_gc_heap_total_allocated_bytes_total"))
            {
                allocated += MetricsScrape.SampleValue(line);
            }
        }

        return new GcTotals((int)collections, pauseSeconds * 1000, (long)allocated);
    }
}

/// <summary>A number of collections, their total pause in milliseconds and the managed bytes allocated.</summary>
internal readonly record struct GcTotals(int Collections, double PauseMs, long AllocatedBytes)
{
    public static GcTotals operator +(GcTotals a, GcTotals b) =>
        new(a.Collections + b.Collections, a.PauseMs + b.PauseMs, a.AllocatedBytes + b.AllocatedBytes);

    public static GcTotals operator -(GcTotals a, GcTotals b) =>
        new(a.Collections - b.Collections, a.PauseMs - b.PauseMs, a.AllocatedBytes - b.AllocatedBytes);
}
