using System.Globalization;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Postgres;

/// <summary>
/// <c>commits</c>: what a durable commit of one send costs on this disk, PostgreSQL alone, before the servers start —
/// the floor under the send and delivery latencies, and the ceiling of commits one connection can make. pgbench
/// inserts one row per transaction, with the statement the silos use for a send, into a scratch table shaped like
/// the message log (the caller creates it; see <see cref="CommitProbe"/>): paced at each of the given rates, then as fast as one
/// connection and as fast as eight connections go.
/// </summary>
internal static class CommitsCommand
{
    private const int ParallelClients = 8;

    public static async Task<int> RunAsync(Options options)
    {
        var dir = options.Get("dir");
        var seconds = options.Int("seconds", 10);
        var rates = options.List("rates").Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds((rates.Count + 2) * (seconds + 30)));

        var name = options.Get("name", "commits");
        var probe = await CommitProbe.CreateAsync(options, dir, name, timeout.Token);

        var result = ScenarioResult.For(name);
        foreach (var rate in rates)
        {
            var paced = (await probe.RunAsync(clients: 4, rate, seconds, timeout.Token)).Latencies();
            var at = rate.ToString("0", CultureInfo.InvariantCulture);
            result.Set($"commit_p50_ms_at_{at}", Math.Round(paced.Percentile(50), 2))
                .Set($"commit_p99_ms_at_{at}", Math.Round(paced.Percentile(99), 2))
                .Set($"commit_max_ms_at_{at}", Math.Round(paced.Percentile(100), 2));
        }

        var serial = await probe.RunAsync(clients: 1, rate: null, seconds, timeout.Token);
        var parallel = await probe.RunAsync(ParallelClients, rate: null, seconds, timeout.Token);
        result.Set("serial_commits_per_s", Math.Round(serial.TransactionsPerSecond))
            .Set("parallel_commits_per_s", Math.Round(parallel.TransactionsPerSecond))
            .Set("parallel_clients", ParallelClients)
            .Note($"pgbench, one durable single-row insert per transaction (fsync and synchronous_commit on), {seconds}s per run; " +
                  "commit_*_at_R: 4 connections paced at R transactions/s; serial: one connection as fast as it goes; " +
                  $"parallel: {ParallelClients} connections, whose commits PostgreSQL flushes together");
        await result.SaveAsync(Path.Combine(dir, "results"));
        return 0;
    }
}
