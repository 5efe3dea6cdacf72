using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using SafeGram.Grains.Abstractions.Diagnostics;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// Runs an authenticated user's socket from its upgrade to its end, however the upgrade was answered (by the
/// <c>/ws</c> endpoint, or by <see cref="Upgrade.SocketUpgradeMiddleware"/> straight off the connection).
/// </summary>
internal sealed class SocketHost(
    SessionRegistry registry, ClientFrameHandler frames, IOptions<RealtimeOptions> options, TimeProvider time)
{
    /// <param name="userId">The authenticated user.</param>
    /// <param name="accept">Answers the upgrade and returns the socket; the socket ends when its connection does.</param>
    public async Task RunAsync(Guid userId, Func<RealtimeOptions, Task<WebSocket>> accept)
    {
        // Registered before the upgrade is answered: once a client sees its socket open, every event reaches it.
        var settings = options.Value;
        var session = new SocketSession(settings, time);
        await registry.AttachAsync(userId, session);
        WebSocket? socket = null;
        try
        {
            socket = await accept(settings);
            SafeGramMetrics.SocketsOpen.Add(1);
            try
            {
                await session.RunAsync(socket, payload => frames.HandleAsync(userId, session, payload));
            }
            finally
            {
                SafeGramMetrics.SocketsOpen.Add(-1);
            }
        }
        finally
        {
            // Disposed last: the client reads our close frame while this gateway unsubscribes.
            await registry.DetachAsync(userId, session);
            socket?.Dispose();
        }
    }
}
