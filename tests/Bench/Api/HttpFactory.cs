using System.Net;
using System.Net.Sockets;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Api;

/// <summary>HTTP clients and handlers for loopback targets, optionally binding client sockets to a loopback source address.</summary>
internal static class HttpFactory
{
    public static HttpClient Client(string baseUrl) => new(Handler(source: null))
    {
        BaseAddress = Loopback.Require(baseUrl),
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>
    /// A handler whose connections start from <paramref name="source"/> (127.0.0.K), so many sockets to one gateway port
    /// don't exhaust one address's ephemeral ports.
    /// </summary>
    public static SocketsHttpHandler Handler(IPAddress? source) => new()
    {
        MaxConnectionsPerServer = 512,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        ConnectCallback = async (context, cancellationToken) =>
        {
            var target = context.DnsEndPoint;
            Loopback.Require($"http://{target.Host}:{target.Port}");
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                if (source is not null)
                {
                    socket.Bind(new IPEndPoint(source, 0));
                }

                await socket.ConnectAsync(IPAddress.Parse(target.Host), target.Port, cancellationToken);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    };
}
