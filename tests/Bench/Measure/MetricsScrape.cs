using System.Globalization;
using SafeGram.Bench.Api;

namespace SafeGram.Bench.Measure;

/// <summary>Reads servers' Prometheus endpoints, <c>/metrics</c>; a server that does not answer is left out, with a line on stderr.</summary>
internal static class MetricsScrape
{
    private static async Task<string?> TextAsync(ServerProcess process, string purpose, CancellationToken cancellationToken)
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

    /// <summary>One read of every process that serves <c>/metrics</c>; those that do not answer are left out.</summary>
    public static async Task<IReadOnlyDictionary<ServerProcess, string>> AllAsync(
        IEnumerable<ServerProcess> processes, string purpose, CancellationToken cancellationToken)
    {
        var texts = new Dictionary<ServerProcess, string>();
        foreach (var process in processes.Where(p => p.Http is not null))
        {
            if (await TextAsync(process, purpose, cancellationToken) is { } text)
            {
                texts[process] = text;
            }
        }

        return texts;
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
