using System.Globalization;
using SafeGram.Bench.Api;

namespace SafeGram.Bench.Measure;

/// <summary>One read of a server's Prometheus endpoint, <c>/metrics</c>; <c>null</c> (and a line on stderr) when it does not answer.</summary>
internal static class MetricsScrape
{
    public static async Task<string?> TextAsync(ServerProcess process, string purpose, CancellationToken cancellationToken)
    {
        try
        {
            using var http = HttpFactory.Client(process.Http!.ToString());
            return await http.GetStringAsync("/metrics", cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync($"[bench] no {purpose} from {process.Name}: {e.Message}");
            return null;
        }
    }

    /// <summary>The sample's value: the first field after the label set, or after the name when there is none.</summary>
    public static double SampleValue(ReadOnlySpan<char> line)
    {
        var labelsEnd = line.LastIndexOf('}');
        var rest = (labelsEnd >= 0 ? line[(labelsEnd + 1)..] : line[(line.IndexOf(' ') + 1)..]).Trim();
        var end = rest.IndexOf(' ');
        return double.Parse(end < 0 ? rest : rest[..end], CultureInfo.InvariantCulture);
    }
}
