using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;

namespace SafeGram.Bench.Sockets;

/// <summary>One socket per target (a token on a gateway), each read by its own loop that reports frames with the target's index.</summary>
internal sealed class SocketPool : IAsyncDisposable
{
    public delegate void FrameHandler(int target, ReadOnlySpan<byte> frame, long arrivedAt);

    private readonly WsConnector _connector = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<WebSocket> _sockets = [];
    private readonly List<Task> _loops = [];
    private readonly ConcurrentDictionary<string, int> _closes = new(StringComparer.Ordinal);
    private long _frames;
    private int _open;

    private SocketPool()
    {
    }

    /// <summary>Frames received by all sockets so far.</summary>
    public long Frames => Interlocked.Read(ref _frames);

    public int Open => Volatile.Read(ref _open);

    /// <summary>Sockets the server closed (or that failed) while the pool was in use, by close status.</summary>
    public IReadOnlyDictionary<string, int> Closes => _closes;

    public static async Task<SocketPool> ConnectAsync(
        IReadOnlyList<(Uri Socket, string Token)> targets, FrameHandler onFrame, int parallelism, CancellationToken cancellationToken)
    {
        var pool = new SocketPool();
        var started = Stopwatch.GetTimestamp();
        var sockets = new WebSocket[targets.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, targets.Count),
            new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken },
            async (i, ct) => sockets[i] = await pool._connector.ConnectAsync(targets[i].Socket, targets[i].Token, ct));

        for (var i = 0; i < sockets.Length; i++)
        {
            var target = i;
            pool._sockets.Add(sockets[i]);
            Interlocked.Increment(ref pool._open);
            pool._loops.Add(Task.Run(() => pool.ReadAsync(sockets[target], target, onFrame), CancellationToken.None));
        }

        await Console.Out.WriteLineAsync(
            $"[bench] connected {targets.Count} sockets in {Stopwatch.GetElapsedTime(started).TotalSeconds:0.0}s");
        return pool;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        foreach (var socket in _sockets)
        {
            socket.Abort();
        }

        await Task.WhenAny(Task.WhenAll(_loops), Task.Delay(TimeSpan.FromSeconds(10)));
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        _connector.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(WebSocket socket, int target, FrameHandler onFrame)
    {
        var status = await FrameLoop.RunAsync(socket, 16 * 1024, (frame, arrivedAt) =>
        {
            Interlocked.Increment(ref _frames);
            onFrame(target, frame, arrivedAt);
        }, _stop.Token);

        Interlocked.Decrement(ref _open);
        if (!_stop.IsCancellationRequested)
        {
            _closes.AddOrUpdate(status?.ToString() ?? "aborted", 1, (_, n) => n + 1);
        }
    }
}
