using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using SafeGram.Gateway.Hosting;

namespace SafeGram.Gateway.Realtime.Upgrade;

/// <summary>
/// Answers a connection's opening <c>GET /ws</c> handshake straight off the connection, before Kestrel's HTTP layer.
/// A socket accepted through the endpoint keeps its upgraded HTTP request alive for its whole life (the connection's
/// request and response state, headers, pipes and the middleware chain's frames), which is most of a gateway's memory
/// per idle socket. Only a complete, well-formed handshake that would succeed is answered here; every other first
/// request, a refused one included, goes on to Kestrel unread and is answered by the endpoint as before.
/// </summary>
internal sealed class SocketUpgradeMiddleware(ConnectionDelegate next, IServiceProvider services)
{
    /// <summary>Handshakes are a few hundred bytes; a longer head is left to Kestrel and its own limits.</summary>
    private const int MaxHeadBytes = 8 * 1024;

    private static ReadOnlySpan<byte> EndOfHead => "\r\n\r\n"u8;

    /// <summary>
    /// How long a new connection may stay silent before it is handed to Kestrel anyway, whose own timeouts then apply:
    /// waiting here must not keep a connection that never speaks open forever.
    /// </summary>
    private static readonly TimeSpan FirstBytesTimeout = TimeSpan.FromSeconds(10);

    public async Task OnConnectedAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        ReadResult read;
        using (var silence = new CancellationTokenSource(FirstBytesTimeout))
        {
            try
            {
                read = await input.ReadAsync(silence.Token);
            }
            catch (OperationCanceledException)
            {
                await next(connection);
                return;
            }
            catch (Exception e) when (e is IOException or ConnectionResetException)
            {
                return;
            }
        }

        var buffer = read.Buffer;
        if (await AcceptAsync(connection, buffer) is not { } accepted)
        {
            // Unread: Kestrel's first read sees the same bytes at once.
            input.AdvanceTo(buffer.Start);
            await next(connection);
            return;
        }

        var answered = false;
        try
        {
            await services.GetRequiredService<SocketHost>().RunAsync(
                accepted.UserId,
                settings =>
                {
                    input.AdvanceTo(buffer.GetPosition(accepted.HeadLength));
                    answered = true;
                    return SwitchProtocolsAsync(connection, accepted.Key, settings);
                });
        }
        catch (Exception) when (!answered)
        {
            // Nothing was answered (the user's subscription failed): the endpoint takes the same request from the start
            // and answers it, with the contract's error if the failure persists.
            input.AdvanceTo(buffer.Start);
            await next(connection);
        }
    }

    /// <summary>The user and handshake when <paramref name="buffer"/> starts with one this gateway accepts as it is.</summary>
    private async Task<Accepted?> AcceptAsync(ConnectionContext connection, ReadOnlySequence<byte> buffer)
    {
        if (!StartsWithPrefix(buffer) || HeadOf(buffer) is not { } head)
        {
            return null;
        }

        var request = UpgradeRequestHead.TryParse(head.Bytes);
        if (request is null
            || !services.GetRequiredService<ClusterAvailability>().AcceptsCalls
            || !AnyHostIsAllowed()
            || (request.Origin is { } origin && !services.GetRequiredService<OriginPolicy>().IsAllowed(origin)))
        {
            return null;
        }

        Guid? userId;
        try
        {
            userId = await services.GetRequiredService<SocketAuthenticator>().AuthenticateAsync(request.Query, request.Authorization);
        }
        catch (Exception e)
        {
            DeferredUpgradeFailure.Attach(connection, e);
            return null;
        }

        return userId is { } id ? new Accepted(id, request.Key, head.Length) : null;
    }

    /// <summary>Host filtering (<c>AllowedHosts</c>) is HTTP middleware: where an operator narrowed it, Kestrel's path applies it.</summary>
    private bool AnyHostIsAllowed() =>
        services.GetRequiredService<IOptionsMonitor<HostFilteringOptions>>().CurrentValue.AllowedHosts.Contains("*");

    private static bool StartsWithPrefix(ReadOnlySequence<byte> buffer)
    {
        var prefix = UpgradeRequestHead.Prefix;
        if (buffer.Length < prefix.Length)
        {
            return false;
        }

        Span<byte> start = stackalloc byte[prefix.Length];
        buffer.Slice(0, prefix.Length).CopyTo(start);
        return start.SequenceEqual(prefix);
    }

    /// <summary>The request line and headers, when the whole head (through its blank line) has arrived and is small.</summary>
    private static (byte[] Bytes, long Length)? HeadOf(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer.Length > MaxHeadBytes ? buffer.Slice(0, MaxHeadBytes) : buffer);
        return reader.TryReadTo(out ReadOnlySequence<byte> head, EndOfHead)
            ? (head.ToArray(), reader.Consumed)
            : null;
    }

    private static async Task<WebSocket> SwitchProtocolsAsync(ConnectionContext connection, string key, RealtimeOptions settings)
    {
        var response = Encoding.ASCII.GetBytes(
            "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n" +
            $"Sec-WebSocket-Accept: {AcceptValue(key)}\r\n\r\n");
        await connection.Transport.Output.WriteAsync(response, connection.ConnectionClosed);
        return WebSocket.CreateFromStream(new DuplexPipeStream(connection.Transport), new WebSocketCreationOptions
        {
            IsServer = true,
            KeepAliveInterval = settings.PingInterval,
            KeepAliveTimeout = settings.PingInterval,
        });
    }

    /// <summary>RFC 6455 §4.2.2: the key with the protocol's fixed GUID appended, SHA-1 hashed, in base64.</summary>
    private static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    private sealed record Accepted(Guid UserId, string Key, long HeadLength);
}
