using System.Globalization;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Idle;

/// <summary><c>gc --pid N</c>: induces a full GC in a .NET process and prints its RSS before and after (for looking into memory by hand).</summary>
internal static class GcCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var pid = options.Int("pid", 0);
        var before = ProcFs.RssKb(pid);
        var ok = await GcTrigger.CollectAllAsync([pid]);
        var after = ProcFs.RssKb(pid);
        await Console.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"pid {pid}: induced={ok} rss {before / 1024.0:0.0} MB -> {after / 1024.0:0.0} MB"));
        return ok ? 0 : 1;
    }
}
