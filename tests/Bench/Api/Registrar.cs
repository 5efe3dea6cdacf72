using System.Diagnostics;

namespace SafeGram.Bench.Api;

/// <summary>Registers many users concurrently over HTTP, spread over the gateways (bcrypt cost 4 keeps this cheap).</summary>
internal static class Registrar
{
    private const int Attempts = 3;

    public static async Task<BenchUser[]> RegisterAsync(
        IReadOnlyList<GatewayApi> gateways, string prefix, int count, int parallelism, CancellationToken cancellationToken)
    {
        var users = new BenchUser[count];
        var started = Stopwatch.GetTimestamp();
        var done = 0;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                users[i] = await RegisterOneAsync(gateways[i % gateways.Count], $"{prefix}{i}", ct);
                if (Interlocked.Increment(ref done) % 5000 == 0)
                {
                    await Console.Out.WriteLineAsync($"[bench] registered {done}/{count} {prefix}* users");
                }
            });
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Console.Out.WriteLineAsync($"[bench] registered {count} users ({prefix}*) in {seconds:0.0}s, {count / Math.Max(seconds, 0.001):0}/s");
        return users;
    }

    /// <summary>Retries transient failures; a retry that finds its own earlier attempt committed signs in instead.</summary>
    private static async Task<BenchUser> RegisterOneAsync(GatewayApi gateway, string username, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await RegisterOrLoginAsync(gateway, username, attempt, cancellationToken);
            }
            catch (Exception e) when (attempt < Attempts && e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), cancellationToken);
            }
        }
    }

    private static async Task<BenchUser> RegisterOrLoginAsync(GatewayApi gateway, string username, int attempt, CancellationToken cancellationToken)
    {
        try
        {
            return await gateway.RegisterAsync(username, cancellationToken);
        }
        catch (HttpRequestException e) when (attempt > 1 && e.Message.Contains("user_exists", StringComparison.Ordinal))
        {
            return await gateway.LoginAsync(username, cancellationToken);
        }
    }
}
