using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using SafeGram.Gateway.Contracts;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Gateway.Realtime;

/// <summary>Turns a chat event into its compact UTF-8 JSON frame, once per event per gateway user, shared by that user's sockets.</summary>
internal sealed class EventFrames(IOptions<JsonOptions> json)
{
    private readonly JsonSerializerOptions _options = json.Value.SerializerOptions;

    public byte[] Serialize(ChatEvent chatEvent) => chatEvent switch
    {
        MessagePosted e => Frame("message", MessageResponse.From(e.Message)),
        MessageEdited e => Frame("message:update", new MessageUpdateData(
            e.Message.Id, e.Message.ChatId, e.Message.SenderId, e.Message.Text, e.Message.EditedAt, e.Message.CreatedAt, e.Message.Version)),
        MessageDeleted e => Frame("message:delete", new MessageDeleteData(e.MessageId, e.ChatId, DeleteForAll: true, e.Version)),
        ReactionChanged e => Frame("reaction", new ReactionEventData(
            e.Change.MessageId, e.ChatId, e.Change.UserId, e.Change.Emoji, e.Change.Removed ? true : null, e.Change.Version)),
        UserTyping e => JsonSerializer.SerializeToUtf8Bytes(new TypingFrame("typing", e.ChatId, e.UserId, e.IsTyping), _options),
        PresenceChanged e => Frame("presence", new PresenceData(e.UserId, Presence.Of(e.IsOnline))),
        AddedToChat e => Frame("chat:new", ChatResponse.From(e.Chat)),
        MembershipChanged e => Frame("chat:member", new MemberEventData(e.ChatId, e.UserId, e.Added ? "added" : "removed", e.Version)),
        _ => throw new ArgumentOutOfRangeException(nameof(chatEvent), chatEvent.GetType().Name, "Unknown chat event."),
    };

    private byte[] Frame<T>(string type, T data) => JsonSerializer.SerializeToUtf8Bytes(new EventFrame<T>(type, data), _options);
}
