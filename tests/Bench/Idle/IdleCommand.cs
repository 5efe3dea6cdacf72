using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Idle;

/// <summary>
/// <c>idle</c>: resident memory (VmRSS) of every server process as found, then again after an induced full GC in the
/// silos and gateways; the first gateway's and silo's post-GC figures are the idle headline.
/// </summary>
internal static class IdleCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var processes = ProcessTable.Load(options.Get("pids"));
        var result = ScenarioResult.For(options.Get("name", "idle"));
        var gateway = processes.OfRole("gateway").First();
        var silo = processes.OfRole("silo").First();
        foreach (var process in processes)
        {
            result.Set($"{process.Name}_rss_mb", Mb(process));
        }

        result.Set("gw_idle_raw_mb", Mb(gateway)).Set("silo_idle_raw_mb", Mb(silo));
        var collected = await GcTrigger.CollectAllAsync(processes.OfRole("gateway", "silo").Select(p => p.Pid));
        result.Set("gw_idle_mb", Mb(gateway)).Set("silo_idle_mb", Mb(silo));
        SetByKind(result, "gw", gateway);
        SetByKind(result, "silo", silo);
        result.Note(options.Get("note", "VmRSS after start-up and a settle, before any load"))
            .Note(collected
                ? "gw_idle_mb/silo_idle_mb: after an induced full GC (EventPipe GCHeapCollect, confirmed by its GCStart event); *_raw_mb: before it"
                : "the induced GC could not be confirmed: gw_idle_mb/silo_idle_mb are read as found");
        await result.SaveAsync(Path.Combine(options.Get("dir"), "results"));
        return 0;
    }

    private static double Mb(ServerProcess process) => Math.Round(ProcFs.RssKb(process.Pid) / 1024.0, 1);

    /// <summary>What the idle RSS is made of: <c>PREFIX_idle_anon_mb</c>, <c>_file_mb</c> and <c>_shared_mb</c>.</summary>
    private static void SetByKind(ScenarioResult result, string prefix, ServerProcess process)
    {
        var (anon, file, shared) = ProcFs.RssByKindKb(process.Pid);
        result.Set($"{prefix}_idle_anon_mb", Math.Round(anon / 1024.0, 1))
            .Set($"{prefix}_idle_file_mb", Math.Round(file / 1024.0, 1))
            .Set($"{prefix}_idle_shared_mb", Math.Round(shared / 1024.0, 1));
    }
}
