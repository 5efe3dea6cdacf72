using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Postgres;

/// <summary>What one pgbench run measured: transactions per second and each transaction's latency.</summary>
internal sealed record PgbenchOutput(double TransactionsPerSecond, Latencies Latencies);
