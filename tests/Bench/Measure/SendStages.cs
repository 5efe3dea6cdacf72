namespace SafeGram.Bench.Measure;

/// <summary>
/// A send's time inside the servers over an interval, from the histograms they export: the gateways' HTTP server
/// duration of <c>POST /api/chats/{id}/messages</c> (request in → response written), the silos' time from a chat grain
/// receiving a send to its row being committed, and within that, the row's wait for a group-commit writer and the
/// commit that holds it. Beside the load generator's end-to-end figure they show which layer holds the tail.
/// Percentiles are only as fine as the histograms' buckets.
/// </summary>
internal sealed class SendStages
{
    private static readonly string[] SendRoute = ["http_request_method=\"POST\"", "http_route=\"/api/chats/{chatId:guid}/messages\""];

    /// <summary>Rows per group commit: only its count of samples is used, one per commit.</summary>
    private static readonly Layer Commits = new("silo_commits", "silo", "safegram_message_insert_batch_size", [], 1);

    /// <summary>Each layer: its key in the results, the role that exports it, the histogram, the labels to match, and its unit in ms.</summary>
    private static readonly Layer[] Layers =
    [
        new("gateway_send", "gateway", "http_server_request_duration_seconds", SendRoute, 1000),
        new("silo_send", "silo", "safegram_message_send_duration_milliseconds", [], 1),
        new("silo_queue", "silo", "safegram_message_insert_queue_duration_milliseconds", [], 1),
        new("silo_commit", "silo", "safegram_message_insert_commit_duration_milliseconds", [], 1),
        Commits,
    ];

    private readonly Dictionary<(ServerProcess, Layer), CumulativeBuckets> _start;

    private SendStages(Dictionary<(ServerProcess, Layer), CumulativeBuckets> start) => _start = start;

    /// <summary>Takes the first reading from the gateways' and silos' <c>/metrics</c> texts.</summary>
    public static SendStages Start(IReadOnlyDictionary<ServerProcess, string> metrics)
    {
        var start = new Dictionary<(ServerProcess, Layer), CumulativeBuckets>();
        foreach (var (server, text) in metrics)
        {
            foreach (var (layer, buckets) in Read(server, text))
            {
                start[(server, layer)] = buckets;
            }
        }

        return new SendStages(start);
    }

    /// <summary>
    /// For each layer <c>{key}_p50_ms</c>, <c>_p99_ms</c> and <c>_samples</c> since the start, from the processes read
    /// both times (nothing for a layer that recorded nothing), and <c>silo_rows_per_commit</c>.
    /// </summary>
    public IReadOnlyDictionary<string, double> Stop(IReadOnlyDictionary<ServerProcess, string> metrics)
    {
        var byLayer = new Dictionary<Layer, CumulativeBuckets>();
        foreach (var (server, text) in metrics)
        {
            foreach (var (layer, end) in Read(server, text))
            {
                if (_start.TryGetValue((server, layer), out var start))
                {
                    byLayer[layer] = (byLayer.GetValueOrDefault(layer) ?? new CumulativeBuckets()) + (end - start);
                }
            }
        }

        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (layer, buckets) in byLayer.Where(kv => kv.Key != Commits && kv.Value.Count > 0))
        {
            stages[$"{layer.Key}_p50_ms"] = Math.Round(buckets.Percentile(50) * layer.ToMs, 2);
            stages[$"{layer.Key}_p99_ms"] = Math.Round(buckets.Percentile(99) * layer.ToMs, 2);
            stages[$"{layer.Key}_samples"] = buckets.Count;
        }

        // The commit-duration histogram has a sample per row.
        if (stages.TryGetValue("silo_commit_samples", out var rows) && byLayer.GetValueOrDefault(Commits) is { Count: > 0 } commits)
        {
            stages["silo_rows_per_commit"] = Math.Round(rows / commits.Count, 2);
        }

        return stages;
    }

    private static IEnumerable<(Layer, CumulativeBuckets)> Read(ServerProcess server, string text) =>
        Layers.Where(l => l.Role == server.Role).Select(l => (l, CumulativeBuckets.Parse(text, l.Histogram, l.Labels)));

    private sealed record Layer(string Key, string Role, string Histogram, string[] Labels, double ToMs);
}
