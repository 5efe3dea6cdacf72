using System.Data.Common;
using Npgsql;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// Connection-pool bounds for a silo's PostgreSQL pools, used where the operator's connection string sets none.
/// PostgreSQL serves every connection with its own process, and starting or ending one costs tens of milliseconds of
/// CPU (100 started at once kept both cores of the benchmark machine busy for 4 s). With Npgsql's defaults a pool grows
/// to 100 connections in a burst (a wave of grain activations) and closes the idle ones together five minutes later;
/// in the benchmark each such wave stalled every process on the host, sends included, for 0.7–2.4 s. A silo has only a
/// few statements running at any moment (sends are group-committed), so a small pool serves it as well and keeps the
/// server's connection count predictable: two pools per silo (grain state; message log and accounts).
/// </summary>
internal static class PostgresPooling
{
    public const int MaxPoolSize = 16;

    /// <summary>Idle connections beyond the pool's working set are closed after this long, not after Npgsql's 5 minutes.</summary>
    public static readonly TimeSpan IdleLifetime = TimeSpan.FromMinutes(15);

    private const string MaxPoolSizeKey = "Maximum Pool Size";
    private const string IdleLifetimeKey = "Connection Idle Lifetime";

    public static string WithDefaults(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql writes back only the settings given, under their canonical names, whatever synonym the operator used.
        var given = new DbConnectionStringBuilder { ConnectionString = builder.ConnectionString };
        if (!given.ContainsKey(MaxPoolSizeKey))
        {
            builder.MaxPoolSize = MaxPoolSize;
        }

        if (!given.ContainsKey(IdleLifetimeKey))
        {
            builder.ConnectionIdleLifetime = (int)IdleLifetime.TotalSeconds;
        }

        return builder.ConnectionString;
    }
}
