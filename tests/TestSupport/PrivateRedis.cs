using System.Diagnostics;
using StackExchange.Redis;

namespace SafeGram.TestSupport;

/// <summary>
/// A redis-server of one test's own (the binary <c>test.sh</c> installed), for tests that stop Redis under a running
/// cluster without taking the suite's shared instance away from every other test.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private readonly Process _process;

    private PrivateRedis(Process process, int port)
    {
        _process = process;
        Configuration = $"127.0.0.1:{port}";
    }

    /// <summary>A StackExchange.Redis configuration string for it.</summary>
    public string Configuration { get; }

    public static async Task<PrivateRedis> StartAsync()
    {
        var port = FreePorts.Next();
        var start = new ProcessStartInfo("redis-server")
        {
            ArgumentList =
            {
                "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--logfile", "/dev/null",
            },
            UseShellExecute = false,
        };
        var redis = new PrivateRedis(Process.Start(start) ?? throw new InvalidOperationException("could not start redis-server"), port);
        await redis.WaitUntilItAnswersAsync();
        return redis;
    }

    /// <summary>Kills the server: clients see connections refused from now on.</summary>
    public async Task StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private async Task WaitUntilItAnswersAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            try
            {
                await using var connection = await ConnectionMultiplexer.ConnectAsync(Configuration + ",connectTimeout=500");
                await connection.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(100);
            }
        }
    }
}
