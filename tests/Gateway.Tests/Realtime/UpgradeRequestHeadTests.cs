using System.Text;
using SafeGram.Gateway.Realtime.Upgrade;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>Only a plain, complete handshake for /ws is answered on the connection; everything else is Kestrel's.</summary>
public sealed class UpgradeRequestHeadTests
{
    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    private static readonly string[] Handshake =
    [
        "GET /ws?token=abc HTTP/1.1",
        "Host: gateway",
        "Upgrade: websocket",
        "Connection: keep-alive, Upgrade",
        $"Sec-WebSocket-Key: {Key}",
        "Sec-WebSocket-Version: 13",
    ];

    [Fact]
    public void PlainHandshake_YieldsQueryKeyOriginAndAuthorization()
    {
        var head = Parse([.. Handshake, "Origin: https://app.example", "Authorization: Bearer t0k", "Sec-WebSocket-Extensions: x"]);

        Assert.NotNull(head);
        Assert.Equal("?token=abc", head.Query);
        Assert.Equal(Key, head.Key);
        Assert.Equal("https://app.example", head.Origin);
        Assert.Equal("Bearer t0k", head.Authorization);
    }

    [Fact]
    public void HeaderNamesAndUpgradeTokens_AreCaseInsensitive_AndAQueryIsOptional()
    {
        var head = Parse(["GET /ws HTTP/1.1", "HOST: g", "upgrade: WebSocket", "CONNECTION: upgrade", $"sec-websocket-key:{Key}", "Sec-WebSocket-Version:  13 "]);

        Assert.NotNull(head);
        Assert.Null(head.Query);
        Assert.Null(head.Origin);
    }

    [Theory]
    [InlineData("POST /ws HTTP/1.1", null, null)]
    [InlineData("GET /wss HTTP/1.1", null, null)]
    [InlineData("GET /ws/ HTTP/1.1", null, null)]
    [InlineData("GET /WS HTTP/1.1", null, null)]
    [InlineData("GET /ws HTTP/1.0", null, null)]
    [InlineData("GET /ws?a=\u00e9 HTTP/1.1", null, null)]
    [InlineData(null, "Host: gateway", null)]
    [InlineData(null, "Upgrade: websocket", "Upgrade: h2c")]
    [InlineData(null, "Connection: keep-alive, Upgrade", "Connection: keep-alive")]
    [InlineData(null, "Sec-WebSocket-Version: 13", "Sec-WebSocket-Version: 8")]
    [InlineData(null, $"Sec-WebSocket-Key: {Key}", "Sec-WebSocket-Key: short")]
    [InlineData(null, $"Sec-WebSocket-Key: {Key}", "Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData(null, null, "Content-Length: 5")]
    [InlineData(null, null, "Transfer-Encoding: chunked")]
    [InlineData(null, null, $"Sec-WebSocket-Key: {Key}")]
    [InlineData(null, null, "Host: another")]
    [InlineData(null, null, "Authorization: Bearer a")]
    [InlineData(null, null, " folded: continuation")]
    [InlineData(null, null, "no colon")]
    [InlineData(null, null, "X-Name: caf\u00e9")]
    [InlineData(null, null, "X-Bad\u0001: 1")]
    public void AnythingUnusual_IsLeftToKestrel(string? requestLine, string? removed, string? added)
    {
        var lines = Handshake.ToList();
        if (requestLine is not null)
        {
            lines[0] = requestLine;
        }

        if (removed is not null)
        {
            lines.Remove(removed);
        }

        if (added is not null)
        {
            lines.Add(added);
        }

        if (added == "Authorization: Bearer a")
        {
            lines.Add("Authorization: Bearer b");
        }

        Assert.Null(Parse(lines));
    }

    [Fact]
    public void ZeroContentLength_IsNoBody()
    {
        Assert.NotNull(Parse([.. Handshake, "Content-Length: 0"]));
    }

    private static UpgradeRequestHead? Parse(IEnumerable<string> lines) =>
        UpgradeRequestHead.TryParse(Encoding.Latin1.GetBytes(string.Join("\r\n", lines)));
}
