using System.Globalization;
using System.Text;

namespace SafeGram.Bench.Report;

/// <summary>
/// The report's sections that show, from this run's own measurements, what bounds a target: CPU per request against
/// the bare-Kestrel ceiling, the price of the hand-offs behind delivery, a send's time layer by layer down to
/// PostgreSQL's own commit, and what idle memory is made of.
/// </summary>
internal static class BoundSections
{
    private static readonly string[] RequestScenarios = ["kestrel", "me", "read", "send"];
    private static readonly (string Role, string Label)[] RequestRoles =
        [("baseline", "bare Kestrel"), ("gateway", "gateways"), ("silo", "silos"), ("postgres", "PostgreSQL"), ("client", "wrk")];

    /// <summary>CPU per request by role for the REST scenarios, the ceiling first.</summary>
    public static void RenderCostPerRequest(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        var runs = RequestScenarios.Where(results.ContainsKey).Select(n => results[n]).ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine("CPU per request in µs, all processes of a role together (the servers' share of the cores is what the ratios above pay for):").AppendLine()
            .AppendLine($"| scenario | rps | {string.Join(" | ", RequestRoles.Select(r => r.Label))} |")
            .AppendLine($"|---|---:|{string.Concat(RequestRoles.Select(_ => "---:|"))}");
        foreach (var r in runs)
        {
            var cells = RequestRoles.Select(role => r.Metrics.TryGetValue($"cpu_us_per_request_{role.Role}", out var us) && us > 0 ? Headline.Format(us) : "—");
            md.AppendLine($"| {r.Name} | {Headline.Format(r.Get("rps"))} | {string.Join(" | ", cells)} |");
        }

        md.AppendLine();
    }

    /// <summary>The platform probe's cost of a hand-off between threads, set against the delivery runs' switches per message.</summary>
    public static void RenderHandoffCost(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results, IReadOnlyList<ScenarioResult> runs)
    {
        if (!results.TryGetValue("platform", out var platform))
        {
            return;
        }

        var handoffCpuUs = platform.Get("handoff_cpu_us");
        md.AppendLine($"On this machine a system call costs {Headline.Format(platform.Get("syscall_us"))} µs and waking a sleeping thread " +
                      $"{Headline.Format(platform.Get("handoff_wall_us"))} µs until it runs, {Headline.Format(handoffCpuUs)} µs of CPU " +
                      "(the `platform` probe, before the servers started). Read as hand-offs at that price, the servers' context switches come to:").AppendLine()
            .AppendLine("| run | context switches / message | × hand-off CPU, ms / message | server CPU ms / message | share |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            var switchMs = r.Get("server_switches_per_message") * handoffCpuUs / 1000;
            var cpuMs = r.Get("server_cpu_ms_per_message");
            md.AppendLine($"| {r.Name} | {Headline.Format(r.Get("server_switches_per_message"))} | {Headline.Format(Math.Round(switchMs, 3))} | " +
                          $"{Headline.Format(cpuMs)} | {Headline.Ratio(switchMs, cpuMs)} |");
        }

        md.AppendLine().AppendLine("An estimate, not a profile: a switch on a core that is busy anyway costs less than the probe's hand-off, " +
                                   "and one that must first wake an idle core costs more.");
        if (platform.Metrics.TryGetValue("idle_wake_max_ms", out var wakeMaxMs))
        {
            var reading = wakeMaxMs < 1
                ? "waking a sleeping core is not where milliseconds of tail come from"
                : "a hand-off that must wake an idle core can itself add milliseconds to a message";
            md.AppendLine().AppendLine($"A thread woken while the machine is idle ran after p50 {Headline.Format(platform.Get("idle_wake_p50_us"))} µs, " +
                                       $"p99 {Headline.Format(platform.Get("idle_wake_p99_us"))} µs, p99.9 {Headline.Format(platform.Get("idle_wake_p999_us"))} µs, " +
                                       $"at most {Headline.Format(wakeMaxMs)} ms: {reading}.");
        }

        md.AppendLine();
    }

    /// <summary>
    /// Where a send's time goes, layer by layer, for each delivery run: the load generator's end-to-end figure, the
    /// gateways' and silos' own histograms, and PostgreSQL's commit alone at the same rate (the <c>commits</c> probe).
    /// </summary>
    public static void RenderSendLayers(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results, IReadOnlyList<ScenarioResult> runs)
    {
        results.TryGetValue("commits", out var commits);
        if (commits is null && !runs.Any(r => r.Metrics.ContainsKey("silo_send_p99_ms")))
        {
            return;
        }

        md.AppendLine("A send's time, p50 / p99 in ms, layer by layer: as the load generator saw it (POST to answer, deliveries arrive " +
                      "with it), inside the gateways (request in → response written, their HTTP histogram), inside the silos (the chat " +
                      "grain receiving it → its row committed), and within that the row's wait for one of the silo's group-commit " +
                      "writers and the commit that holds it (its round trip to PostgreSQL included) — the servers' own histograms, " +
                      "interpolated within their buckets — then PostgreSQL committing the same row through pgbench, with no .NET " +
                      "process on its path (timed from each transaction's actual start): during the run itself at a tenth of its " +
                      "rate (at least 50/s), and alone at the same rate before the servers started (the `commits` probe):").AppendLine()
            .AppendLine("| run | sends/s | end to end | gateways | silos (in the grain) | waiting for a writer | the commit | rows per commit | PostgreSQL during the run | PostgreSQL alone |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            var at = r.Get("rate_target").ToString("0", CultureInfo.InvariantCulture);
            var rowsPerCommit = r.Metrics.TryGetValue("silo_rows_per_commit", out var rows) ? Headline.Format(rows) : "—";
            md.AppendLine($"| {r.Name} | {at} | {Pair(r, "send")} | {Pair(r, "gateway_send")} | {Pair(r, "silo_send")} | " +
                          $"{Pair(r, "silo_queue")} | {Pair(r, "silo_commit")} | {rowsPerCommit} | {Pair(r, "loaded_commit")} | " +
                          $"{(commits is null ? "—" : Pair(commits, "commit", $"_at_{at}"))} |");
        }

        md.AppendLine();
        if (commits is not null)
        {
            md.AppendLine($"Unpaced, PostgreSQL alone made {Headline.Format(commits.Get("serial_commits_per_s"))} durable commits a second over one " +
                          $"connection and {Headline.Format(commits.Get("parallel_commits_per_s"))} over {Headline.Format(commits.Get("parallel_clients"))}.").AppendLine();
        }
    }

    private static string Pair(ScenarioResult result, string prefix, string suffix = "") =>
        result.Metrics.TryGetValue($"{prefix}_p50_ms{suffix}", out var p50) && result.Metrics.TryGetValue($"{prefix}_p99_ms{suffix}", out var p99)
            ? $"{Headline.Format(p50)} / {Headline.Format(p99)}"
            : "—";

    /// <summary>What the idle gateway's and silo's resident memory is made of.</summary>
    public static void RenderIdleMemory(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        if (!results.TryGetValue("idle", out var idle) || !idle.Metrics.ContainsKey("gw_idle_file_mb"))
        {
            return;
        }

        md.AppendLine("## Idle memory by kind").AppendLine()
            .AppendLine("| process | RSS MB | anonymous | file-backed | shared |")
            .AppendLine("|---|---:|---:|---:|---:|");
        foreach (var (prefix, label) in new[] { ("gw", "gateway"), ("silo", "silo") })
        {
            string M(string kind) => Headline.Format(idle.Get($"{prefix}_idle_{kind}_mb"));
            md.AppendLine($"| {label} | {Headline.Format(idle.Get($"{prefix}_idle_mb"))} | {M("anon")} | {M("file")} | {M("shared")} |");
        }

        md.AppendLine().AppendLine("After the induced GC. Anonymous memory is the process's own (GC heap, stacks, native allocations); " +
            "file-backed is the runtime, framework and application code it has mapped; shared is, for .NET, mostly the executable " +
            "allocator's double-mapped loader heaps (type-system data) and JIT code. Only the anonymous part shrinks with less data; " +
            "the rest grows with the code and types loaded. Silo and gateway run as their images ship them (self-contained, " +
            "framework trimmed: TrimmedPublish.targets).").AppendLine();
    }
}
