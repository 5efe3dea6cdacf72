using System.Net.WebSockets;
using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;
using SafeGram.Bench.Sockets;

namespace SafeGram.Bench.Connections;

/// <summary>
/// <c>hold-sockets</c>: a child of <c>sockets</c>. Opens <c>--count</c> authenticated sockets to one gateway from one
/// loopback source address and holds them idle (answering the server's pings). Prints <c>ready OPEN FAILED</c> once
/// connected; then answers <c>count</c> on stdin with <c>open N</c>, and exits on <c>stop</c>, end of stdin (its
/// parent is gone) or after <c>--max-seconds</c>.
/// </summary>
internal static class HoldSocketsCommand
{
    public static async Task<int> RunAsync(Options options)
    {
        var socketUri = WsConnector.SocketUri(options.Get("url"));
        var source = Loopback.RequireSource(options.Get("source"));
        var tokens = File.ReadLines(options.Get("tokens")).Skip(options.Int("offset", 0)).Take(options.Int("count", 100)).ToList();
        using var lifetime = new CancellationTokenSource(TimeSpan.FromSeconds(options.Int("max-seconds", 900)));
        using var connector = new WsConnector(source);

        var sockets = new WebSocket?[tokens.Count];
        var loops = new Task[tokens.Count];
        var open = 0;
        var failed = 0;
        string? firstError = null;
        await Parallel.ForEachAsync(
            Enumerable.Range(0, tokens.Count),
            new ParallelOptions { MaxDegreeOfParallelism = options.Int("parallel", 32), CancellationToken = lifetime.Token },
            async (i, ct) =>
            {
                try
                {
                    var socket = await connector.ConnectAsync(socketUri, tokens[i], ct);
                    sockets[i] = socket;
                    Interlocked.Increment(ref open);
                    loops[i] = HoldAsync(socket, () => Interlocked.Decrement(ref open), lifetime.Token);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException or HttpRequestException or IOException)
                {
                    Interlocked.CompareExchange(ref firstError, e.Message, null);
                    Interlocked.Increment(ref failed);
                }
            });

        if (firstError is not null)
        {
            await Console.Error.WriteLineAsync($"hold-sockets {source}: {failed} failed, first: {firstError}");
        }

        await Console.Out.WriteLineAsync($"ready {Volatile.Read(ref open)} {failed}");
        await Console.Out.FlushAsync();
        await ServeAsync(() => Volatile.Read(ref open), lifetime.Token);

        foreach (var socket in sockets)
        {
            socket?.Abort();
            socket?.Dispose();
        }

        return 0;
    }

    /// <summary>Answers the parent until it says stop, goes away, or the time bound passes.</summary>
    private static async Task ServeAsync(Func<int> open, CancellationToken lifetime)
    {
        using var stdin = new StreamReader(Console.OpenStandardInput());
        try
        {
            while (await stdin.ReadLineAsync(lifetime) is { } line && line != "stop")
            {
                if (line == "count")
                {
                    await Console.Out.WriteLineAsync($"open {open()}");
                    await Console.Out.FlushAsync(lifetime);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task HoldAsync(WebSocket socket, Action closed, CancellationToken lifetime)
    {
        await Task.Yield();
        await FrameLoop.RunAsync(socket, 1024, static (_, _) => { }, lifetime);
        closed();
    }
}
