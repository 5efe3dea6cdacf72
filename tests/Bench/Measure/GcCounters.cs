namespace SafeGram.Bench.Measure;

/// <summary>
/// Garbage collections, their pause time and the bytes allocated over an interval, by role: silos and gateways from the
/// runtime counters they export at <c>/metrics</c> (read at both ends of the interval, nothing attached to the process), and this tool
/// (<c>client</c>) from its own GC. On a saturated box a process's GC pause stalls everything it holds, so the report
/// shows them beside the latency they are part of.
/// </summary>
internal sealed class GcCounters
{
    private readonly Dictionary<ServerProcess, GcTotals> _start;
    private readonly GcTotals _selfStart = SelfTotals();

    private GcCounters(Dictionary<ServerProcess, GcTotals> start) => _start = start;

    /// <summary>Takes the first reading from the processes' <c>/metrics</c> texts.</summary>
    public static GcCounters Start(IReadOnlyDictionary<ServerProcess, string> metrics) =>
        new(metrics.ToDictionary(kv => kv.Key, kv => Parse(kv.Value)));

    /// <summary>Collections, pause milliseconds and allocated bytes since the start, by role (processes read both times).</summary>
    public IReadOnlyDictionary<string, GcTotals> Stop(IReadOnlyDictionary<ServerProcess, string> metrics)
    {
        var byRole = new Dictionary<string, GcTotals>(StringComparer.Ordinal) { ["client"] = SelfTotals() - _selfStart };
        foreach (var (process, start) in _start)
        {
            if (metrics.TryGetValue(process, out var text))
            {
                byRole[process.Role] = byRole.GetValueOrDefault(process.Role) + (Parse(text) - start);
            }
        }

        return byRole;
    }

    private static GcTotals SelfTotals() =>
        new(GC.CollectionCount(0), GC.GetTotalPauseDuration().TotalMilliseconds, GC.GetTotalAllocatedBytes());

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
