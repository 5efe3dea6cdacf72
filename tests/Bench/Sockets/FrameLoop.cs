using System.Diagnostics;
using System.Net.WebSockets;

namespace SafeGram.Bench.Sockets;

/// <summary>
/// Reads a socket until it closes and hands each frame (up to the buffer size; the rest of larger frames such as
/// chat:new is skipped) to a callback with its arrival time. Returns how the socket ended.
/// </summary>
internal static class FrameLoop
{
    public delegate void FrameHandler(ReadOnlySpan<byte> frame, long arrivedAt);

    public static async Task<WebSocketCloseStatus?> RunAsync(WebSocket socket, int bufferBytes, FrameHandler onFrame, CancellationToken cancellationToken)
    {
        var buffer = new byte[bufferBytes];
        byte[]? overflow = null;
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    var room = length < buffer.Length ? buffer.AsMemory(length) : (overflow ??= new byte[bufferBytes]);
                    result = await socket.ReceiveAsync(room, cancellationToken);
                    length = Math.Min(buffer.Length, length + result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return socket.CloseStatus;
                }

                onFrame(buffer.AsSpan(0, length), Stopwatch.GetTimestamp());
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return socket.CloseStatus ?? WebSocketCloseStatus.Empty;
        }

        return socket.CloseStatus;
    }
}
