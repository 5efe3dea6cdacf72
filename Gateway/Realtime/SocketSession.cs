using System.Buffers;
using System.Net.WebSockets;
using SafeGram.Grains.Abstractions.Diagnostics;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// One accepted WebSocket: a bounded outbound queue drained by a single sender, and a receive loop that
/// enforces the inbound frame size and rate. Idle sockets hold no receive buffer: a zero-byte read waits
/// for the next frame and a pooled buffer is rented only while one is being read.
/// </summary>
internal sealed class SocketSession(RealtimeOptions options, TimeProvider time)
{
    private const WebSocketCloseStatus TryAgainLater = (WebSocketCloseStatus)1013;

    private readonly OutboundQueue _outbound = new(options.OutboundQueueFrames);
    private readonly InboundRateLimit _rate = new(options.InboundFramesPerSecond, options.InboundFrameBurst, time);
    private (WebSocketCloseStatus Status, string Reason)? _closeRequest;
    private CancellationTokenSource? _stop;

    public int MalformedFrames { get; set; }

    /// <summary>Queues a frame; a socket whose queue is full is closed rather than allowed to grow.</summary>
    public void Enqueue(byte[] frame)
    {
        if (!_outbound.TryWrite(frame) && _closeRequest is null)
        {
            SafeGramMetrics.SocketsCutOff.Add(1);
            RequestClose(TryAgainLater, "too slow; reconnect and catch up");
        }
    }

    /// <summary>Asks the sender to close the socket after the frames already queued (used for 1001 at shutdown).</summary>
    public void RequestClose(WebSocketCloseStatus status, string reason)
    {
        _closeRequest ??= (status, reason);
        _outbound.Complete();
        // A client that never reads would block the close handshake too: after the grace it is aborted.
        try
        {
            _stop?.CancelAfter(options.CloseGrace);
        }
        catch (ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Runs <paramref name="socket"/> until the client closes, the socket fails, or a close is requested. Frames queued
    /// before it starts (the session is registered before the upgrade is accepted) are sent first.
    /// </summary>
    public async Task RunAsync(WebSocket socket, Func<ReadOnlyMemory<byte>, Task> onFrame, CancellationToken aborted)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
        _stop = stop;
        if (_closeRequest is not null)
        {
            stop.CancelAfter(options.CloseGrace);
        }

        var sending = SendLoopAsync(socket, stop);
        try
        {
            await ReceiveLoopAsync(socket, onFrame, stop.Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away or the request was aborted: nothing to answer.
        }
        finally
        {
            _outbound.Complete();
            await stop.CancelAsync();
            await sending;
        }
    }

    private async Task ReceiveLoopAsync(WebSocket socket, Func<ReadOnlyMemory<byte>, Task> onFrame, CancellationToken cancellationToken)
    {
        while (socket.State == WebSocketState.Open && _closeRequest is null)
        {
            var first = await socket.ReceiveAsync(Memory<byte>.Empty, cancellationToken);
            if (first.MessageType == WebSocketMessageType.Close)
            {
                RequestClose(WebSocketCloseStatus.NormalClosure, "bye");
                return;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(options.MaxInboundFrameBytes + 1);
            try
            {
                var length = await ReadFrameAsync(socket, buffer, cancellationToken);
                if (length is null)
                {
                    return;
                }

                if (!_rate.TryTake())
                {
                    SafeGramMetrics.SocketsCutOff.Add(1);
                    RequestClose(WebSocketCloseStatus.PolicyViolation, "too many frames");
                    return;
                }

                await onFrame(buffer.AsMemory(0, length.Value));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    /// <summary>Reads one whole message; <c>null</c> when the socket is closing (too large, binary, or closed).</summary>
    private async Task<int?> ReadFrameAsync(WebSocket socket, byte[] buffer, CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(length, buffer.Length - length), cancellationToken);
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

    private async Task SendLoopAsync(WebSocket socket, CancellationTokenSource stop)
    {
        var cancellationToken = stop.Token;
        try
        {
            // A stop ends the wait for frames as a completion does; a send after a stop fails, aborting the socket.
            using (cancellationToken.UnsafeRegister(static queue => ((OutboundQueue)queue!).Complete(), _outbound))
            {
                while (await _outbound.WaitToReadAsync() && _outbound.TryRead(out var frame))
                {
                    if (_closeRequest is { Status: TryAgainLater })
                    {
                        break;   // a slow consumer gets no more of its backlog
                    }

                    await socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                }
            }

            if (_closeRequest is { } close && socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.CloseOutputAsync(close.Status, close.Reason, timeout.Token);
                // The client has a moment to answer the close; then the receive loop is ended regardless.
                stop.CancelAfter(options.CloseGrace);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            socket.Abort();
        }
    }
}
