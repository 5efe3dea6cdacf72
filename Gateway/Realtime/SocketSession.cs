using System.Buffers;
using System.Net.WebSockets;
using SafeGram.Grains.Abstractions.Diagnostics;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// One accepted WebSocket: a bounded outbound queue drained by a single sender, and a receive loop that
/// enforces the inbound frame size and rate. Idle sockets hold no receive buffer: a zero-byte read waits
/// for the next frame and a pooled buffer is rented only while one is being read.
/// </summary>
/// <remarks>
/// An idle socket also holds no cancellation registration (each was another ~100 B on every idle socket): reads and
/// sends are not given tokens, and whatever must end them aborts the socket instead, which ends both.
/// </remarks>
internal sealed class SocketSession(RealtimeOptions options, TimeProvider time)
{
    private const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly OutboundQueue _outbound = new(options.OutboundQueueFrames);
    private readonly InboundRateLimit _rate = new(options.InboundFramesPerSecond, options.InboundFrameBurst, time);
    private CloseRequest? _closeRequest;
    private WebSocket? _socket;
    private ITimer? _abortAfterGrace;

    public int MalformedFrames { get; set; }

    /// <summary>Queues a frame; a socket whose queue is full is closed rather than allowed to grow.</summary>
    public void Enqueue(byte[] frame)
    {
        if (!_outbound.TryWrite(frame) && Volatile.Read(ref _closeRequest) is null)
        {
            SafeGramMetrics.SocketsCutOff.Add(1);
            RequestClose(TryAgainLater, "too slow; reconnect and catch up");
        }
    }

    /// <summary>Asks the sender to close the socket after the frames already queued (used for 1001 at shutdown).</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        Interlocked.CompareExchange(ref _closeRequest, new CloseRequest(status, reason), null);
        _outbound.Complete();
        // A client that never reads would block the close handshake too: after the grace it is aborted.
        AbortAfterGrace();
    }

    /// <summary>
    /// Runs <paramref name="socket"/> until the client closes, the socket fails (its connection ending included), or a
    /// close is requested. Frames queued before it starts (the session is registered before the upgrade is accepted)
    /// are sent first.
    /// </summary>
    public async Task RunAsync(WebSocket socket, Func<ReadOnlyMemory<byte>, Task> onFrame)
    {
        Interlocked.Exchange(ref _socket, socket);
        if (Volatile.Read(ref _closeRequest) is not null)
        {
            AbortAfterGrace();
        }

        var sending = SendLoopAsync(socket);
        try
        {
            // The receive loop is inline, not a method of its own: every idle socket waits in it, and each async
            // method it waited through held another state machine (~170 B) per socket.
            while (socket.State == WebSocketState.Open && Volatile.Read(ref _closeRequest) is null)
            {
                var first = await socket.ReceiveAsync(Memory<byte>.Empty, CancellationToken.None);
                if (first.MessageType == WebSocketMessageType.Close)
                {
                    RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                    break;
                }

                await ReceiveFrameAsync(socket, first.MessageType == WebSocketMessageType.Text ? onFrame : null);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the socket was aborted: nothing more to send either.
            socket.Abort();
        }
        finally
        {
            _outbound.Complete();
            // The sender may still be answering a close; one stuck on a client that does not read is aborted in time.
            if (!sending.IsCompleted)
            {
                AbortAfterGrace();
            }

            await sending;
            Interlocked.Exchange(ref _socket, null);
            _abortAfterGrace?.Dispose();
        }
    }

    private void AbortAfterGrace()
    {
        if (Volatile.Read(ref _socket) is null || Volatile.Read(ref _abortAfterGrace) is not null)
        {
            return;
        }

        var timer = time.CreateTimer(static session => ((SocketSession)session!).Abort(), this, options.CloseGrace, Timeout.InfiniteTimeSpan);
        if (Interlocked.CompareExchange(ref _abortAfterGrace, timer, null) is not null)
        {
            timer.Dispose();
        }
    }

    private void Abort() => Volatile.Read(ref _socket)?.Abort();

    /// <summary>
    /// Reads the frame that has begun to arrive and hands it on, within the size and rate limits. A frame with nowhere to
    /// go (<paramref name="onFrame"/> is <c>null</c>: binary, where the contract speaks JSON text) is read, counted and ignored.
    /// </summary>
    private async Task ReceiveFrameAsync(WebSocket socket, Func<ReadOnlyMemory<byte>, Task>? onFrame)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(options.MaxInboundFrameBytes + 1);
        try
        {
            if (await ReadFrameAsync(socket, buffer) is not { } length)
            {
                return;
            }

            if (!_rate.TryTake())
            {
                SafeGramMetrics.SocketsCutOff.Add(1);
                RequestClose(WebSocketCloseStatus.PolicyViolation, "too many frames");
                return;
            }

            if (onFrame is null)
            {
                MalformedFrames++;
                return;
            }

            await onFrame(buffer.AsMemory(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads one whole message; <c>null</c> when the socket is closing (too large, or closed).</summary>
    private async Task<int?> ReadFrameAsync(WebSocket socket, byte[] buffer)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length, buffer.Length - length), CancellationToken.None);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                return null;
            }

            length += result.Count;
            if (length > options.MaxInboundFrameBytes)
            {
                RequestClose(WebSocketCloseStatus.MessageTooBig, $"frames are limited to {options.MaxInboundFrameBytes} bytes");
                return null;
            }

            if (result.EndOfMessage)
            {
                return length;
            }
        }
    }

    private async Task SendLoopAsync(WebSocket socket)
    {
        try
        {
            while (await _outbound.WaitToReadAsync() && _outbound.TryRead(out var frame))
            {
                if (Volatile.Read(ref _closeRequest) is { Status: TryAgainLater })
                {
                    break;   // a slow consumer gets no more of its backlog
                }

                await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
            }

            if (Volatile.Read(ref _closeRequest) is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(close.Status, close.Reason, timeout.Token);
                // The client has a moment to answer the close; then the receive loop is ended regardless.
                AbortAfterGrace();
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            socket.Abort();
        }
    }

    private sealed record CloseRequest(WebSocketCloseStatus Status, string Reason);
}
