namespace SafeGram.Bench.Measure;

/// <summary>
/// A send's time inside the servers over an interval, from the histograms they export: the gateways' HTTP server
/// duration of <c>POST /api/chats/{id}/messages</c> (request in → response written) and the silos' time from a chat
/// grain receiving a send to its row being committed. Beside the load generator's end-to-end figure they show which
/// layer holds the tail. Percentiles are only as fine as the histograms' buckets (5, 10, 25, 50, 75, 100 ms …).
/// </summary>
internal sealed class SendStages
{
    private const string GatewayHistogram = "http_server_request_duration_seconds";
    private const string SiloHistogram = "safegram_message_send_duration_milliseconds";
    private static readonly string[] SendRoute = ["http_request_method=\"POST\"", "http_route=\"/api/chats/{chatId:guid}/messages\""];

    private readonly Dictionary<ServerProcess, CumulativeBuckets> _start;

    private SendStages(Dictionary<ServerProcess, CumulativeBuckets> start) => _start = start;

    /// <summary>Takes the first reading of every gateway and silo; one that does not answer is left out.</summary>
    public static async Task<SendStages> StartAsync(IEnumerable<ServerProcess> processes, CancellationToken cancellationToken)
    {
        var start = new Dictionary<ServerProcess, CumulativeBuckets>();
        foreach (var server in processes.Where(p => p.Http is not null && p.Role is "gateway" or "silo"))
        {
            if (await ReadAsync(server, cancellationToken) is { } buckets)
            {
                start[server] = buckets;
            }
        }

        return new SendStages(start);
    }

    /// <summary>
    /// <c>{gateway|silo}_send_p50_ms</c>, <c>_p99_ms</c> and <c>_samples</c> since the start, from the processes read both
    /// times (nothing for a layer that recorded no send).
    /// </summary>
    public async Task<IReadOnlyDictionary<string, double>> StopAsync(CancellationToken cancellationToken)
    {
        var byRole = new Dictionary<string, CumulativeBuckets>(StringComparer.Ordinal);
        foreach (var (server, start) in _start)
        {
            if (await ReadAsync(server, cancellationToken) is { } end)
            {
                byRole[server.Role] = (byRole.GetValueOrDefault(server.Role) ?? new CumulativeBuckets()) + (end - start);
            }
        }

        var stages = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (role, buckets) in byRole.Where(kv => kv.Value.Count > 0))
        {
            // The gateways' histogram is in seconds, the silos' in milliseconds.
            var toMs = role == "gateway" ? 1000.0 : 1.0;
            stages[$"{role}_send_p50_ms"] = Math.Round(buckets.Percentile(50) * toMs, 2);
            stages[$"{role}_send_p99_ms"] = Math.Round(buckets.Percentile(99) * toMs, 2);
            stages[$"{role}_send_samples"] = buckets.Count;
        }

        return stages;
    }

    private static async Task<CumulativeBuckets?> ReadAsync(ServerProcess server, CancellationToken cancellationToken) =>
        await MetricsScrape.TextAsync(server, "send histograms", cancellationToken) is not { } text
            ? null
            : server.Role == "gateway"
                ? CumulativeBuckets.Parse(text, GatewayHistogram, SendRoute)
                : CumulativeBuckets.Parse(text, SiloHistogram);
}
