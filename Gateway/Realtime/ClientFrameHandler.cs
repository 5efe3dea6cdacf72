using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafeGram.Gateway.Contracts;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// Client → server frames: <c>typing</c> (relayed by the chat to its other members) and the legacy
/// <c>subscribe</c>/<c>unsubscribe</c> (membership-checked, no answer: every member hears every chat anyway).
/// Anything else is counted and ignored.
/// </summary>
internal sealed class ClientFrameHandler(IGrainFactory grains, IOptions<JsonOptions> json)
{
    private readonly JsonSerializerOptions _options = json.Value.SerializerOptions;

    public async Task HandleAsync(Guid userId, SocketSession socket, ReadOnlyMemory<byte> payload)
    {
        ClientFrame? frame;
        try
        {
            frame = JsonSerializer.Deserialize<ClientFrame>(payload.Span, _options);
        }
        catch (JsonException)
        {
            frame = null;
        }

        switch (frame)
        {
            case { Type: "typing", ChatId: { } chatId }:
                await grains.GetGrain<IChatGrain>(chatId).TypingAsync(userId, frame.IsTyping ?? true);
                break;
            case { Type: "subscribe" or "unsubscribe", ChatId: { } chatId }:
                if (!await grains.GetGrain<IChatGrain>(chatId).IsMemberAsync(userId))
                {
                    socket.MalformedFrames++;
                }

                break;
            default:
                socket.MalformedFrames++;
                break;
        }
    }
}
