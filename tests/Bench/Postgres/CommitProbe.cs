using SafeGram.Bench.Cli;

namespace SafeGram.Bench.Postgres;

/// <summary>
/// pgbench making durable one-row inserts with the statement the silos use for a send, into a scratch table shaped
/// like the message log (<c>--table</c>, created by the caller), against the throwaway PostgreSQL (<c>--pgbench</c>,
/// <c>--port</c>, <c>--database</c>): what a commit costs the database itself, with no .NET process on its path.
/// </summary>
internal sealed class CommitProbe
{
    private readonly PgbenchRunner _runner;
    private readonly string _script;

    private CommitProbe(PgbenchRunner runner, string script) => (_runner, _script) = (runner, script);

    /// <summary>Whether the options name a pgbench to probe with.</summary>
    public static bool IsConfigured(Options options) => options.Has("pgbench");

    /// <param name="label">Names the script and the logs in <c>{dir}/pgbench</c>, apart from other commands' probes.</param>
    public static async Task<CommitProbe> CreateAsync(Options options, string dir, string label, CancellationToken cancellationToken)
    {
        var work = Directory.CreateDirectory(Path.Combine(dir, "pgbench")).FullName;
        var script = Path.Combine(work, $"{label}-insert-one.sql");
        await File.WriteAllTextAsync(script, InsertOneScript(options.Get("table")), cancellationToken);
        var runner = new PgbenchRunner(options.Get("pgbench"), options.Int("port", 5432), options.Get("database"), work, label);
        return new CommitProbe(runner, script);
    }

    /// <param name="clients">Connections, each committing in a loop.</param>
    /// <param name="rate">Commits per second across all clients (open loop), or <c>null</c> for as fast as they go.</param>
    public Task<PgbenchOutput> RunAsync(int clients, double? rate, int seconds, CancellationToken cancellationToken) =>
        _runner.RunAsync(_script, clients, rate, seconds, cancellationToken);

    /// <summary>One send as <c>MessageRowsInsert</c> writes it: arrays of one element, unnested into a row.</summary>
    private static string InsertOneScript(string table) =>
        $"""
        \set seq random(1, 1000000000000)
        INSERT INTO {table} (chat_id, seq, id, sender_id, sender_username, text, created_at, version)
        SELECT * FROM unnest(ARRAY[gen_random_uuid()], ARRAY[:seq::bigint], ARRAY[gen_random_uuid()], ARRAY[gen_random_uuid()],
            ARRAY['bench-sender'], ARRAY['a message of an ordinary length, about fifty bytes'], ARRAY[now()], ARRAY[:seq::bigint]);
        """;
}
