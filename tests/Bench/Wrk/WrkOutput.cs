using System.Text.Json;

namespace SafeGram.Bench.Wrk;

/// <summary>The WRKJSON line that wrk/rotate.lua prints when a run ends.</summary>
internal sealed record WrkOutput(
    long Requests, long DurationUs, long Non2xx, long ConnectErrors, long ReadErrors, long WriteErrors, long Timeouts,
    long P50Us, long P90Us, long P99Us, long MaxUs, double MeanUs)
{
    private const string Marker = "WRKJSON ";

    public long Errors => Non2xx + ConnectErrors + ReadErrors + WriteErrors + Timeouts;

    public static WrkOutput Parse(string stdout)
    {
        var line = stdout.Split('\n').LastOrDefault(l => l.StartsWith(Marker, StringComparison.Ordinal))
            ?? throw new InvalidOperationException("wrk printed no WRKJSON line:\n" + stdout);
        using var json = JsonDocument.Parse(line[Marker.Length..]);
        var root = json.RootElement;
        long L(string name) => root.GetProperty(name).GetInt64();
        return new WrkOutput(
            L("requests"), L("duration_us"), L("non2xx"), L("connect_errors"), L("read_errors"), L("write_errors"), L("timeouts"),
            L("p50_us"), L("p90_us"), L("p99_us"), L("max_us"), root.GetProperty("mean_us").GetDouble());
    }
}
