using StackExchange.Redis;

namespace SafeGram.Silo.Hosting;

/// <summary>
/// The Redis connection of a readiness check, whose every wait ends within <see cref="Timeout"/>. With the client's
/// defaults (5 s to connect, 5 s per command) a check against a Redis that is down took 5.2–5.5 s: the check does not
/// stop at its own timeout, and an orchestrator's probe (3 s) gave up before it answered.
/// </summary>
internal static class RedisProbeConfiguration
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    public static string For(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        var milliseconds = (int)Timeout.TotalMilliseconds;
        options.ConnectTimeout = milliseconds;
        options.AsyncTimeout = milliseconds;
        options.SyncTimeout = milliseconds;
        options.ConnectRetry = 1;
        return options.ToString(includePassword: true);
    }
}
