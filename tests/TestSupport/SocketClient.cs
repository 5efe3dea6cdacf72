using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace SafeGram.TestSupport;

/// <summary>A WebSocket test client: collects every frame the server sends and waits for the ones a test expects.</summary>
public sealed class SocketClient : IAsyncDisposable
{
    private readonly WebSocket _socket;
    private readonly Channel<JsonElement> _frames = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private readonly Task _receiving;

    public SocketClient(WebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveAsync();
    }

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public Task Closed => _receiving;

    public WebSocket Socket => _socket;

    public static async Task<SocketClient> ConnectAsync(Uri baseAddress, string token, string? origin = null)
    {
        var socket = new ClientWebSocket();
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/ws", Query = "token=" + token }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, timeout.Token);
        return new SocketClient(socket);
    }

    public Task SendAsync(object frame) =>
        _socket.SendAsync(JsonSerializer.SerializeToUtf8Bytes(frame, JsonSerializerOptions.Web), WebSocketMessageType.Text, true, CancellationToken.None);

    public Task SendRawAsync(string text) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>The first frame (seen before or arriving later) that matches, or a timeout naming what did arrive.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan? timeout = null)
    {
        lock (_seen)
        {
            var earlier = _seen.FindIndex(f => match(f));
            if (earlier >= 0)
            {
                var found = _seen[earlier];
                _seen.RemoveAt(earlier);
                return found;
            }
        }

        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var frame = await _frames.Reader.ReadAsync(cancel.Token);
                if (match(frame))
                {
                    return frame;
                }

                lock (_seen)
                {
                    _seen.Add(frame);
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (_seen)
            {
                throw new TimeoutException($"No matching frame. Received: {string.Join(" | ", _seen.Select(f => f.ToString()))}");
            }
        }
    }

    /// <summary>Every frame received so far and not yet consumed by <see cref="WaitForAsync"/>.</summary>
    public IReadOnlyList<JsonElement> Drain()
    {
        while (_frames.Reader.TryRead(out var frame))
        {
            lock (_seen)
            {
                _seen.Add(frame);
            }
        }

        lock (_seen)
        {
            var all = _seen.ToList();
            _seen.Clear();
            return all;
        }
    }

    public static Func<JsonElement, bool> OfType(string type, Func<JsonElement, bool>? and = null) =>
        frame => frame.GetProperty("type").GetString() == type && (and?.Invoke(frame) ?? true);

    public static Predicate<JsonElement> IsType(string type) => frame => frame.GetProperty("type").GetString() == type;

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
            try
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", timeout.Token);
            }
            catch (Exception e) when (MeansClosed(e))
            {
            }
        }

        _socket.Abort();
        await _receiving;
        _socket.Dispose();
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                    length += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    CloseStatus = _socket.CloseStatus;
                    return;
                }

                _frames.Writer.TryWrite(JsonDocument.Parse(buffer.AsMemory(0, length)).RootElement.Clone());
            }
        }
        catch (Exception e) when (MeansClosed(e))
        {
            CloseStatus ??= _socket.CloseStatus;
        }
        finally
        {
            _frames.Writer.TryComplete();
        }
    }

    /// <summary>
    /// The socket is gone, whichever way the runtime says so; an in-process test socket that the server closed or that
    /// was aborted ends a pending receive or close with an <see cref="IOException"/> (remote end closed).
    /// </summary>
    private static bool MeansClosed(Exception e) =>
        e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException;
}
