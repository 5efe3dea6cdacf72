using System.Diagnostics;
using System.Globalization;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Wrk;

/// <summary>Runs wrk with wrk/rotate.lua against a loopback URL and returns what the script reported.</summary>
internal static class WrkRunner
{
    public static async Task<WrkOutput> RunAsync(string url, string dataFile, string method, int threads, int connections, int seconds)
    {
        Loopback.Require(url);
        var script = Path.Combine(AppContext.BaseDirectory, "wrk", "rotate.lua");
        var start = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     "-t", threads.ToString(CultureInfo.InvariantCulture), "-c", connections.ToString(CultureInfo.InvariantCulture),
                     "-d", $"{seconds}s", "--timeout", "5s", "-s", script, url,
                 })
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["BENCH_WRK_DATA"] = Path.GetFullPath(dataFile);
        start.Environment["BENCH_WRK_METHOD"] = method;

        using var process = Process.Start(start) ?? throw new InvalidOperationException("wrk did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"wrk against {url} did not finish in {seconds + 30}s.");
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk exited with {process.ExitCode}: {output} {await stderr}");
        }

        return WrkOutput.Parse(output);
    }
}
