using System.Text;

namespace SafeGram.Bench.Report;

/// <summary>The Markdown report: headline against targets, ratios to the ceiling, then each scenario with its CPU split.</summary>
internal static class MarkdownReport
{
    private static readonly string[] Roles = ["silo", "gateway", "postgres", "redis", "baseline", "client", "other"];
    private static readonly (string Role, string Label)[] GcRoles = [("silo", "silos"), ("gateway", "gateways"), ("client", "load generator")];

    public static string Render(RunInfo info, IReadOnlyDictionary<string, double> headline, IReadOnlyDictionary<string, ScenarioResult> results, IReadOnlyList<string> failed, string line)
    {
        var md = new StringBuilder();
        md.AppendLine($"# SafeGram benchmark ({info.Mode})").AppendLine()
            .AppendLine($"- date: {info.Date}").AppendLine($"- commit: `{info.Commit}`")
            .AppendLine($"- machine: {info.CpuModel}, {info.Cores} cores, {info.MemoryMb / 1024.0:0.#} GB; load generator on the same machine")
            .AppendLine("- PostgreSQL: a throwaway instance on this disk with fsync and synchronous_commit on, so a send is acknowledged only once it is on disk")
            .AppendLine($"- topology: {info.Topology}")
            .AppendLine("- the machine may be shared: the `other` CPU column shows what ran beside the benchmark").AppendLine();

        if (failed.Count > 0)
        {
            md.AppendLine($"**Failed scenarios:** {string.Join(", ", failed)} (their figures are n/a; see logs/ and the bench.sh output).").AppendLine();
        }

        md.AppendLine("## Headline").AppendLine()
            .AppendLine("| metric | measured | target | result | ceiling on this box (design.md) | earlier Go server's promise |")
            .AppendLine("|---|---:|---|---|---|---|");
        foreach (var target in Targets.All)
        {
            var pass = target.Pass(headline) switch { true => "pass", false => "**FAIL**", null => "—" };
            md.AppendLine($"| {target.Metric} | {Headline.Format(headline[target.Metric])} | {target.Goal} | {pass} | {target.Ceiling} | {target.GoPromise} |");
        }

        md.AppendLine().AppendLine("The Go server's promise was made for a 4 CPU / 8 GB machine; this one has "
            + $"{info.Cores} cores shared by the servers, PostgreSQL, Redis and the load generator.");
        if (info.Mode == "quick")
        {
            md.AppendLine().AppendLine("Quick mode runs every scenario shorter and smaller (fewer sockets, lower delivery rate): "
                + "size targets such as ws_sockets ≥ 50,000 are only meaningful for a full run.");
        }

        md.AppendLine();
        RenderRatios(md, headline);
        BoundSections.RenderCostPerRequest(md, results);
        RenderDelivery(md, results);
        RenderScaling(md, results);
        RenderGroupCost(md, results);
        BoundSections.RenderIdleMemory(md, results);
        RenderBottlenecks(md, results);
        RenderScenarios(md, results);
        md.AppendLine("## Summary line").AppendLine().AppendLine("```").AppendLine(line).AppendLine("```");
        return md.ToString();
    }

    private static void RenderRatios(StringBuilder md, IReadOnlyDictionary<string, double> h)
    {
        var kestrel = h["kestrel_rps"];
        md.AppendLine("## Against the ceiling").AppendLine().AppendLine("| figure | ratio |").AppendLine("|---|---:|");
        foreach (var metric in new[] { "me_rps", "read_rps", "send_rps" })
        {
            md.AppendLine($"| {metric} / kestrel_rps | {Headline.Ratio(h[metric], kestrel)} |");
        }

        md.AppendLine($"| fanout_per_s / 400k (design.md fan-out ceiling) | {Headline.Ratio(h["fanout_per_s"], 400_000)} |")
            .AppendLine($"| ws_kb_per_socket / 20 KB (15 KB RSS + 5 KB kernel ceiling) | {Headline.Ratio(h["ws_kb_per_socket"], 20)} |")
            .AppendLine();
    }

    private static void RenderDelivery(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        var runs = results.Values.Where(r => r.Metrics.ContainsKey("deliver_p99_ms")).OrderBy(r => r.Name, StringComparer.Ordinal).ToList();
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine("## Delivery latency (POST start → arrival on the other members' sockets)").AppendLine()
            .AppendLine("| run | sends/s asked | sends/s achieved | late starts | p50 ms | p90 ms | p99 ms | max ms | missing | gateways | server CPU ms / message | server context switches / message |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in runs)
        {
            string M(string metric) => Headline.Format(r.Get(metric));
            md.AppendLine($"| {r.Name} | {M("rate_target")} | {M("rate_achieved")} | {M("late_starts")} | {M("deliver_p50_ms")} | {M("deliver_p90_ms")} | " +
                          $"{M("deliver_p99_ms")} | {M("deliver_max_ms")} | {M("missing_deliveries")} | {M("gateways")} | " +
                          $"{M("server_cpu_ms_per_message")} | {M("server_switches_per_message")} |");
        }

        md.AppendLine().AppendLine("`delivery` is the headline rate; `delivery_low` runs at a quarter of it, where the servers are not saturated. " +
            "Context switches are those of every thread of the silos, gateways, PostgreSQL and Redis while the run measured.").AppendLine();
        BoundSections.RenderHandoffCost(md, results, runs);
        BoundSections.RenderSendLayers(md, results, runs);
        RenderGcPauses(md, [.. runs.Where(r => r.Metrics.ContainsKey("gc_collections_client"))]);
    }

    private static void RenderGcPauses(StringBuilder md, IReadOnlyList<ScenarioResult> runs)
    {
        if (runs.Count == 0)
        {
            return;
        }

        md.AppendLine("Garbage collections and managed allocation while each delivery run measured, all processes of a role " +
                      "together (silos' and gateways' runtime counters from `/metrics`; the load generator's own):").AppendLine()
            .AppendLine("| run | role | GCs | pause ms | allocated KB per message |")
            .AppendLine("|---|---|---:|---:|---:|");
        foreach (var r in runs)
        {
            foreach (var (role, label) in GcRoles)
            {
                string M(string metric) => Headline.Format(r.Get($"{metric}_{role}"));
                md.AppendLine($"| {r.Name} | {label} | {M("gc_collections")} | {M("gc_pause_ms")} | {M("alloc_kb_per_message")} |");
            }
        }

        md.AppendLine();
    }

    private static void RenderScaling(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        var topologies = results.Keys.Where(k => k.StartsWith("scale_", StringComparison.Ordinal))
            .Select(k => k.Split('_')[1]).Distinct().Order(StringComparer.Ordinal).ToList();
        if (topologies.Count == 0)
        {
            md.AppendLine("## Scaling").AppendLine().AppendLine("Not run (quick mode runs only the main topology).").AppendLine();
            return;
        }

        md.AppendLine("## Scaling (silos × gateways)").AppendLine()
            .AppendLine("| topology | warm-up s | me rps | read rps | send rps | send p99 ms | deliver p50 ms | deliver p99 ms | delivery sends/s |")
            .AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var t in topologies)
        {
            string Of(string scenario, string metric) =>
                results.TryGetValue($"scale_{t}_{scenario}", out var r) ? Headline.Format(r.Get(metric)) : "—";
            md.AppendLine($"| {t} | {Of("warm", "seconds")} | {Of("me", "rps")} | {Of("read", "rps")} | {Of("send", "rps")} | {Of("send", "p99_ms")} | " +
                          $"{Of("delivery", "deliver_p50_ms")} | {Of("delivery", "deliver_p99_ms")} | {Of("delivery", "rate_achieved")} |");
        }

        md.AppendLine().AppendLine("`sNgM` = N silos and M gateways, each a fresh cluster; with several gateways wrk loads all of them at once " +
            "and chat members alternate between them. Each fresh cluster first takes every REST route at once until its " +
            "throughput stops rising (warm-up s: tiered compilation), then shorter runs than the headline: wrk 5 s after a further " +
            "warm-up of the route, delivery 10 s at a quarter of the headline rate after the delivery warm-up at that rate.").AppendLine();
    }

    private static void RenderGroupCost(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        if (!results.TryGetValue("group_cost", out var cost))
        {
            return;
        }

        var sizes = cost.Metrics.Keys.Where(k => k.EndsWith("_messages_per_s", StringComparison.Ordinal))
            .Select(k => int.Parse(k[1..k.IndexOf('_', StringComparison.Ordinal)], System.Globalization.CultureInfo.InvariantCulture)).Order().ToList();
        md.AppendLine("## Cost per message by group size").AppendLine()
            .AppendLine("| members | messages/s | deliveries/s | server CPU ms / message | server CPU µs / delivery | server context switches / message | silo | gateway | postgres | client (load generator) |")
            .AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var size in sizes)
        {
            string M(string metric) => Headline.Format(cost.Get($"g{size}_{metric}"));
            md.AppendLine($"| {size} | {M("messages_per_s")} | {M("deliveries_per_s")} | {M("server_cpu_ms_per_message")} | {M("server_cpu_us_per_delivery")} | " +
                          $"{M("server_switches_per_message")} | " +
                          $"{M("silo_cpu_ms_per_message")} | {M("gateway_cpu_ms_per_message")} | {M("postgres_cpu_ms_per_message")} | {M("client_cpu_ms_per_message")} |");
        }

        md.AppendLine().AppendLine("Per-role columns are CPU ms per message. " + string.Join(' ', cost.Notes)).AppendLine();
    }

    private static void RenderBottlenecks(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        md.AppendLine("## Where the CPU went (average cores busy while measuring)").AppendLine()
            .AppendLine($"| scenario | {string.Join(" | ", Roles)} | busiest |")
            .AppendLine($"|---|{string.Concat(Roles.Select(_ => "---:|"))}---|");
        foreach (var result in results.Values.Where(r => r.CpuCores.Count > 0).OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            var busiest = result.CpuCores.Where(kv => kv.Key != "machine").MaxBy(kv => kv.Value);
            md.AppendLine($"| {result.Name} | {string.Join(" | ", Roles.Select(r => result.CpuCores.TryGetValue(r, out var c) ? c.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture) : "—"))} | {busiest.Key} |");
        }

        md.AppendLine().AppendLine("`client` is the load generator (this tool, wrk, the socket holders); `other` is everything else on the machine.").AppendLine();
    }

    private static void RenderScenarios(StringBuilder md, IReadOnlyDictionary<string, ScenarioResult> results)
    {
        md.AppendLine("## Scenarios").AppendLine();
        foreach (var result in results.Values.OrderBy(r => r.Name, StringComparer.Ordinal))
        {
            md.AppendLine($"### {result.Name}").AppendLine();
            md.AppendLine(string.Join(" · ", result.Metrics.Select(kv => $"{kv.Key} = {Headline.Format(kv.Value)}"))).AppendLine();
            foreach (var note in result.Notes)
            {
                md.AppendLine($"- {note}");
            }

            md.AppendLine();
        }
    }
}
