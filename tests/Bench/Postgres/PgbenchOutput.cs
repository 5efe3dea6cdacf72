using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Postgres;

/// <summary>What one pgbench run measured: transactions per second and each transaction's end and latency.</summary>
internal sealed record PgbenchOutput(double TransactionsPerSecond, IReadOnlyList<PgbenchTransaction> Transactions)
{
    /// <summary>The latencies of every transaction, or of those that ended at or after <paramref name="since"/>.</summary>
    public Latencies Latencies(DateTimeOffset? since = null)
    {
        var latencies = new Latencies();
        foreach (var transaction in Transactions.Where(t => since is null || t.EndedAt >= since))
        {
            latencies.Add(transaction.LatencyMs);
        }

        return latencies;
    }
}

/// <summary>One line of pgbench's per-transaction log: when the transaction ended, and its latency from its actual start.</summary>
internal readonly record struct PgbenchTransaction(DateTimeOffset EndedAt, double LatencyMs);
