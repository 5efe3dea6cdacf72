using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace SafeGram.Bench.Postgres;

/// <summary>
/// Runs pgbench with one custom script against the throwaway PostgreSQL on loopback and returns its throughput and,
/// from its per-transaction log, every transaction's latency.
/// </summary>
internal sealed partial class PgbenchRunner(string pgbench, int port, string database, string workDirectory, string label)
{
    private int _runs;

    /// <param name="clients">Connections, each running the script in a loop.</param>
    /// <param name="rate">Transactions per second across all clients (open loop), or <c>null</c> for as fast as they go.</param>
    public async Task<PgbenchOutput> RunAsync(string scriptFile, int clients, double? rate, int seconds, CancellationToken cancellationToken)
    {
        var prefix = $"{label}-{Interlocked.Increment(ref _runs)}";
        var start = new ProcessStartInfo(pgbench)
        {
            WorkingDirectory = workDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        string[] args =
        [
            "-h", "127.0.0.1", "-p", Invariant(port), "-U", "postgres", "-n", "-f", scriptFile,
            "-c", Invariant(clients), "-j", "1", "-T", Invariant(seconds), "-l", $"--log-prefix={prefix}", database,
        ];
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (rate is { } perSecond)
        {
            start.ArgumentList.Add("-R");
            start.ArgumentList.Add(Invariant(perSecond));
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("pgbench did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw;
        }

        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"pgbench exited with {process.ExitCode}: {output} {await stderr}");
        }

        var tps = TpsLine().Match(output);
        if (!tps.Success)
        {
            throw new InvalidOperationException($"pgbench printed no tps: {output}");
        }

        return new PgbenchOutput(double.Parse(tps.Groups[1].Value, CultureInfo.InvariantCulture), await ReadTransactionsAsync(prefix, cancellationToken));
    }

    /// <summary>
    /// Each log line's third field is the transaction's latency in microseconds, its fifth and sixth when it ended
    /// (Unix seconds and microseconds); a paced run's seventh is how late pgbench started it, which that latency
    /// includes. The lag is pgbench's own (its timer waking late on this machine: up to tens of milliseconds), so it is
    /// taken out: latency from the transaction's actual start, as the delivery scenarios time a send from its actual start.
    /// </summary>
    private async Task<List<PgbenchTransaction>> ReadTransactionsAsync(string prefix, CancellationToken cancellationToken)
    {
        var transactions = new List<PgbenchTransaction>();
        foreach (var log in Directory.GetFiles(workDirectory, prefix + ".*"))
        {
            foreach (var line in await File.ReadAllLinesAsync(log, cancellationToken))
            {
                var fields = line.Split(' ');
                if (fields.Length < 6
                    || !long.TryParse(fields[2], CultureInfo.InvariantCulture, out var micros)
                    || !long.TryParse(fields[4], CultureInfo.InvariantCulture, out var endSeconds)
                    || !long.TryParse(fields[5], CultureInfo.InvariantCulture, out var endMicros))
                {
                    continue;
                }

                var lagMicros = fields.Length > 6 && long.TryParse(fields[6], CultureInfo.InvariantCulture, out var lag) ? lag : 0;
                var endedAt = DateTimeOffset.FromUnixTimeSeconds(endSeconds).AddTicks(endMicros * TimeSpan.TicksPerMicrosecond);
                transactions.Add(new PgbenchTransaction(endedAt, (micros - lagMicros) / 1000.0));
            }

            File.Delete(log);
        }

        return transactions;
    }

    private static string Invariant<T>(T value) where T : IFormattable => value.ToString(null, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"tps = ([0-9.]+)")]
    private static partial Regex TpsLine();
}
