using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SafeGram.Gateway.Realtime.Upgrade;

internal static class SocketUpgradeExtensions
{
    /// <summary>
    /// Every endpoint answers plain <c>/ws</c> handshakes on the connection itself (see <see cref="SocketUpgradeMiddleware"/>).
    /// Where it would see TLS records instead of a request, nothing matches and every connection goes on to Kestrel.
    /// </summary>
    public static void AnswerSocketUpgradesOnConnection(this KestrelServerOptions kestrel) =>
        kestrel.ConfigureEndpointDefaults(listen =>
            listen.Use(next => new SocketUpgradeMiddleware(next, listen.ApplicationServices).OnConnectedAsync));
}
