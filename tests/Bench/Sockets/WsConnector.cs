using System.Net;
using System.Net.WebSockets;
using SafeGram.Bench.Api;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Sockets;

/// <summary>Opens authenticated /ws sockets, optionally from one loopback source address (127.0.0.K).</summary>
internal sealed class WsConnector(IPAddress? source = null) : IDisposable
{
    private readonly HttpMessageInvoker _invoker = new(HttpFactory.Handler(source));

    public static Uri SocketUri(string gatewayUrl)
    {
        var http = Loopback.Require(gatewayUrl);
        return new UriBuilder(http) { Scheme = "ws", Path = "/ws" }.Uri;
    }

    public async Task<ClientWebSocket> ConnectAsync(Uri socketUri, string token, CancellationToken cancellationToken)
    {
        var socket = new ClientWebSocket();
        // The server pings every 30 s; the client only answers (pongs are sent while a receive is pending).
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await socket.ConnectAsync(new Uri($"{socketUri}?token={token}"), _invoker, timeout.Token);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Dispose() => _invoker.Dispose();
}
