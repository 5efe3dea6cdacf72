using System.Text;

namespace SafeGram.Gateway.Realtime.Upgrade;

/// <summary>
/// A plain, well-formed WebSocket opening handshake for <c>/ws</c> (RFC 6455 §4.2.1), read from the raw head of an
/// HTTP/1.1 request: only what answering it needs. Anything unusual parses to <c>null</c> and is left to Kestrel's own
/// HTTP parser and the <c>/ws</c> endpoint, which answer it exactly as before (errors included).
/// </summary>
internal sealed record UpgradeRequestHead(string? Query, string Key, string? Origin, string? Authorization)
{
    /// <summary>The bytes every candidate starts with; other connections are handed on at once.</summary>
    public static ReadOnlySpan<byte> Prefix => "GET /ws"u8;

    /// <summary>Parses <paramref name="head"/>: the request line and headers, without the blank line that ends them.</summary>
    public static UpgradeRequestHead? TryParse(ReadOnlySpan<byte> head)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? head : head[..lineEnd];
        if (!requestLine.StartsWith("GET "u8) || !requestLine.EndsWith(" HTTP/1.1"u8))
        {
            return null;
        }

        var target = requestLine["GET ".Length..^" HTTP/1.1".Length];
        if (!IsVisibleAscii(target) || !(target.SequenceEqual("/ws"u8) || target.StartsWith("/ws?"u8)))
        {
            return null;
        }

        var headers = new Headers();
        var rest = lineEnd < 0 ? [] : head[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var end = rest.IndexOf("\r\n"u8);
            var line = end < 0 ? rest : rest[..end];
            rest = end < 0 ? [] : rest[(end + 2)..];
            if (!headers.TryAdd(line))
            {
                return null;
            }
        }

        return headers.IsPlainUpgrade
            ? new UpgradeRequestHead(
                target.Length > "/ws".Length ? Encoding.ASCII.GetString(target["/ws".Length..]) : null,
                headers.Key!, headers.Origin, headers.Authorization)
            : null;
    }

    private static bool IsVisibleAscii(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange((byte)0x21, (byte)0x7E);

    private static bool HasToken(string? list, string token) =>
        list is not null && list.Split(',', StringSplitOptions.TrimEntries).Contains(token, StringComparer.OrdinalIgnoreCase);

    /// <summary>The headers that matter to the handshake; a repeated one, a body or an odd line disqualifies the request.</summary>
    private sealed class Headers
    {
        private string? _host;
        private string? _upgrade;
        private string? _connection;
        private string? _version;
        private string? _key;
        private string? _origin;
        private string? _authorization;

        public string? Key => _key;

        public string? Origin => _origin;

        public string? Authorization => _authorization;

        public bool IsPlainUpgrade =>
            _host is not null && _version == "13" && IsValidKey(_key)
            && HasToken(_upgrade, "websocket") && HasToken(_connection, "upgrade");

        public bool TryAdd(ReadOnlySpan<byte> line)
        {
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !IsVisibleAscii(line[..colon]))
            {
                return false;
            }

            var rawValue = line[(colon + 1)..].Trim(" \t"u8);
            if (rawValue.ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
            {
                return false;
            }

            var value = Encoding.ASCII.GetString(rawValue);
            return Encoding.ASCII.GetString(line[..colon]).ToLowerInvariant() switch
            {
                "host" => SetOnce(ref _host, value),
                "content-length" => value == "0",
                "transfer-encoding" => false,
                "upgrade" => SetOnce(ref _upgrade, value),
                "connection" => SetOnce(ref _connection, value),
                "sec-websocket-version" => SetOnce(ref _version, value),
                "sec-websocket-key" => SetOnce(ref _key, value),
                "origin" => SetOnce(ref _origin, value),
                "authorization" => SetOnce(ref _authorization, value),
                _ => true,
            };
        }

        private static bool SetOnce(ref string? field, string value)
        {
            if (field is not null)
            {
                return false;
            }

            field = value;
            return true;
        }

        private static bool IsValidKey(string? key)
        {
            Span<byte> decoded = stackalloc byte[18];
            return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var length) && length == 16;
        }
    }
}
