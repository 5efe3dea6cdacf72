using SafeGram.Bench.Cli;

namespace SafeGram.Bench.Report;

/// <summary>
/// <c>report</c>: gathers results/*.json into report.md and report.json in the run directory, writes the
/// <c>bench:</c> line to summary.txt and prints it as the last line.
/// </summary>
internal static class ReportCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var dir = options.Get("dir");
        var results = ScenarioResult.LoadAll(Path.Combine(dir, "results"));
        var info = RunInfo.Read(options.Get("mode"), options.Get("commit", "unknown"), options.Get("topology", ""));
        var failedFile = Path.Combine(dir, "results", "failed.txt");
        var failed = File.Exists(failedFile) ? (await File.ReadAllLinesAsync(failedFile)).Where(l => l.Length > 0).ToList() : [];
        var headline = Headline.Collect(results);
        var line = Headline.Line(headline);

        await File.WriteAllTextAsync(Path.Combine(dir, "report.md"), MarkdownReport.Render(info, headline, results, failed, line));
        await File.WriteAllTextAsync(Path.Combine(dir, "report.json"), ScenarioResult.Serialize(new
        {
            info,
            summary = headline,
            failed,
            targets = Targets.All.ToDictionary(t => t.Metric, t => new { goal = t.Goal, pass = t.Pass(headline), ceiling = t.Ceiling, goPromise = t.GoPromise }),
            scenarios = results,
        }));
        await File.WriteAllTextAsync(Path.Combine(dir, "summary.txt"), line + "\n");
        await Console.Out.WriteLineAsync(line);
        return 0;
    }
}
