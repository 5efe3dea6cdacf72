using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>
/// On real Kestrel, a connection opening with a plain /ws handshake is answered before the HTTP layer (a lighter
/// socket), and every other first request, a refused handshake included, is answered by the endpoint as before.
/// </summary>
public sealed class SocketUpgradeTests(KestrelGatewayFixture fixture) : IClassFixture<KestrelGatewayFixture>
{
    private const string HealthRequest = "GET /health/live HTTP/1.1\r\nHost: t\r\n\r\n";

    private readonly ApiClient _api = fixture.CreateApiClient();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Handshake_IsAnsweredOnTheConnection_AndItsSocketCarriesEventsAndCloses(bool tokenInHeader)
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        var chat = (await _api.CreateDmAsync(alice, bob)).Id();

        var socket = await ConnectAsync(alice.Token, tokenInHeader);
        Assert.Equal(HttpStatusCode.SwitchingProtocols, socket.HttpStatusCode);
        // Kestrel stamps every response it writes with a Server header; this one never reached it.
        Assert.False(socket.HttpResponseHeaders!.ContainsKey("Server"));
        await using var client = new SocketClient(socket);
        await _api.WaitUntilOnlineAsync(bob, chat, alice);

        await _api.SendAsync(bob, chat, "over the lean socket");

        var frame = await client.WaitForAsync(SocketClient.OfType("message"));
        Assert.Equal("over the lean socket", frame.GetProperty("data").GetProperty("text").GetString());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", timeout.Token);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, socket.CloseStatus);
    }

    [Fact]
    public async Task RefusedHandshakes_AreAnsweredByTheEndpoint_WithTheContractErrors()
    {
        var alice = await _api.RegisterAsync();

        var badToken = await ExchangeAsync(Handshake("not-a-token"));
        var noUpgrade = await ExchangeAsync($"GET /ws?token={alice.Token} HTTP/1.1\r\nHost: t\r\n\r\n");
        var otherOrigin = await ExchangeAsync(Handshake(alice.Token, "Origin: https://elsewhere.example\r\n"));
        var allowedOrigin = await ExchangeAsync(Handshake(alice.Token, $"Origin: {KestrelGatewayFixture.AllowedOrigin}\r\n"));
        var twoOrigins = await ExchangeAsync(Handshake(alice.Token, $"Origin: {KestrelGatewayFixture.AllowedOrigin}\r\nOrigin: https://elsewhere.example\r\n"));
        var twoOriginsReversed = await ExchangeAsync(Handshake(alice.Token, $"Origin: https://elsewhere.example\r\nOrigin: {KestrelGatewayFixture.AllowedOrigin}\r\n"));
        var oldVersion = await ExchangeAsync(Handshake(alice.Token).Replace("Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8", StringComparison.Ordinal));

        Assert.StartsWith("HTTP/1.1 401", badToken);
        Assert.Contains("WWW-Authenticate: Bearer", badToken);
        Assert.Contains("\"error\":\"unauthorized\"", badToken);
        Assert.StartsWith("HTTP/1.1 400", noUpgrade);
        Assert.Contains("needs a WebSocket upgrade", noUpgrade);
        Assert.StartsWith("HTTP/1.1 403", otherOrigin);
        Assert.StartsWith("HTTP/1.1 101", allowedOrigin);
        Assert.DoesNotContain("Server:", allowedOrigin);
        Assert.StartsWith("HTTP/1.1 403", twoOrigins);
        Assert.StartsWith("HTTP/1.1 403", twoOriginsReversed);
        // RFC 6455 §4.2.2: a version the server does not speak is refused with the versions it does.
        Assert.StartsWith("HTTP/1.1 400", oldVersion);
        Assert.Contains("Sec-WebSocket-Version: 13", oldVersion);
        Assert.Contains("version 13", oldVersion);
    }

    [Fact]
    public async Task HandshakeArrivingInPieces_OrAfterAnotherRequest_StillOpens_ThroughKestrel()
    {
        var alice = await _api.RegisterAsync();
        var handshake = Handshake(alice.Token);

        var inPieces = await ExchangeAsync(handshake[..20], handshake[20..]);
        var afterAnother = await ExchangeAsync(HealthRequest + handshake);

        Assert.StartsWith("HTTP/1.1 101", inPieces);
        Assert.Contains("Server: Kestrel", inPieces);
        Assert.StartsWith("HTTP/1.1 200", afterAnother);
        Assert.Contains("HTTP/1.1 101", afterAnother);
    }

    [Fact]
    public async Task OtherFirstRequests_ReachKestrelUntouched()
    {
        var health = await ExchangeAsync(HealthRequest);
        var malformed = await ExchangeAsync("GET /ws HTTP/1.1\r\nHost: t\r\n bad folding\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200", health);
        Assert.StartsWith("HTTP/1.1 400", malformed);
    }

    internal static string Handshake(string token, string extraHeaders = "", string host = "t") =>
        $"GET /ws?token={Uri.EscapeDataString(token)} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
        $"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n{extraHeaders}\r\n";

    private async Task<ClientWebSocket> ConnectAsync(string token, bool tokenInHeader)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        var query = "token=" + Uri.EscapeDataString(token);
        if (tokenInHeader)
        {
            socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
            query = "";
        }

        var uri = new UriBuilder(fixture.BaseAddress) { Scheme = "ws", Path = "/ws", Query = query }.Uri;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await socket.ConnectAsync(uri, timeout.Token);
        return socket;
    }

    private Task<string> ExchangeAsync(params string[] pieces) => ExchangeAsync(fixture.BaseAddress, pieces);

    /// <summary>
    /// Writes <paramref name="pieces"/> on a fresh connection, a moment apart, and returns what came back: an answer to
    /// every request within 30 s, then until a second of quiet.
    /// </summary>
    internal static async Task<string> ExchangeAsync(Uri gateway, params string[] pieces)
    {
        var requests = Regex.Count(string.Concat(pieces), @" HTTP/1\.1\r\n");
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, gateway.Port);
        var stream = tcp.GetStream();
        foreach (var piece in pieces)
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(piece));
            await Task.Delay(200);
        }

        var received = new StringBuilder();
        var buffer = new byte[16 * 1024];
        while (true)
        {
            // An upgraded connection stays open, so a second of silence after the answers ends it; an answer itself may
            // take longer than a second on a loaded machine (a CI run read nothing and failed).
            var answered = Regex.Count(received.ToString(), @"(^|\r\n)HTTP/1\.1 \d{3} ");
            using var quiet = new CancellationTokenSource(TimeSpan.FromSeconds(answered < requests ? 30 : 1));
            try
            {
                var read = await stream.ReadAsync(buffer, quiet.Token);
                if (read == 0)
                {
                    return received.ToString();
                }

                received.Append(Encoding.ASCII.GetString(buffer, 0, read));
            }
            catch (OperationCanceledException)
            {
                return received.ToString();
            }
        }
    }
}
