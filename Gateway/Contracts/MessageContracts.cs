using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Contracts;

/// <summary>Fields the earlier clients send that this server ignores (<c>attachmentUrl</c>, <c>stickerId</c>, …) are dropped.</summary>
public sealed record SendMessageRequest(Guid? ChatId, string? Text, string? ReplyTo, string? ClientMessageId);

public sealed record EditMessageRequest(string? Text);

public sealed record DeleteMessageRequest(bool? DeleteForAll);

public sealed record ReactRequest(string? Emoji);

public sealed record MessageResponse(
    Guid Id,
    Guid ChatId,
    Guid SenderId,
    string Text,
    DateTimeOffset CreatedAt,
    DateTimeOffset? EditedAt,
    DateTimeOffset? DeletedAt,
    MessageSender Sender,
    string ReplyTo,
    IReadOnlyList<ReactionResponse> Reactions,
    long Seq,
    long Version,
    string? ClientMessageId)
{
    public static MessageResponse From(ChatMessage message) => new(
        message.Id, message.ChatId, message.SenderId, message.Text, message.CreatedAt, message.EditedAt, message.DeletedAt,
        new MessageSender(message.SenderId, message.SenderUsername, ""),
        message.ReplyTo?.ToString() ?? "",
        [.. message.Reactions.Select(r => new ReactionResponse(r.UserId, r.Emoji, r.CreatedAt))],
        message.Seq, message.Version, message.ClientMessageId);
}

public sealed record MessageSender(Guid Id, string Username, string AvatarUrl);

public sealed record ReactionResponse(Guid UserId, string Emoji, DateTimeOffset CreatedAt);

public sealed record MessagesResponse(IReadOnlyList<MessageResponse> Messages, IReadOnlyList<FlatReaction> Reactions)
{
    public static MessagesResponse From(IReadOnlyList<ChatMessage> messages) => new(
        [.. messages.Select(MessageResponse.From)],
        [.. messages.SelectMany(m => m.Reactions.Select(r => new FlatReaction(m.Id, r.UserId, r.Emoji)))]);
}

public sealed record FlatReaction(Guid MessageId, Guid UserId, string Emoji);

/// <summary><c>removed</c> appears only when the call took a reaction away.</summary>
public sealed record ReactionChangeResponse(Guid MessageId, Guid UserId, string Emoji, DateTimeOffset CreatedAt, bool? Removed)
{
    public static ReactionChangeResponse From(ReactionChange change) =>
        new(change.MessageId, change.UserId, change.Emoji, change.CreatedAt, change.Removed ? true : null);
}

public sealed record OkResponse(bool Ok)
{
    public static OkResponse Instance { get; } = new(true);
}
