using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>
/// One row of a chat's message log. <see cref="Seq"/> is creation order (gap-free per chat);
/// <see cref="Version"/> is the chat version of the row's last change. A deleted message keeps its
/// row as a tombstone: <see cref="Text"/> is empty and <see cref="DeletedAt"/> is set.
/// </summary>
[GenerateSerializer, Immutable, Alias("SafeGram.ChatMessage")]
public sealed record ChatMessage(
    [property: Id(0)] Guid Id,
    [property: Id(1)] Guid ChatId,
    [property: Id(2)] long Seq,
    [property: Id(3)] Guid SenderId,
    [property: Id(4)] string SenderUsername,
    [property: Id(5)] string Text,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] DateTimeOffset? EditedAt,
    [property: Id(8)] DateTimeOffset? DeletedAt,
    [property: Id(9)] Guid? ReplyTo,
    [property: Id(10)] string? ClientMessageId,
    [property: Id(11)] long Version,
    [property: Id(12)] ImmutableArray<MessageReaction> Reactions)
{
    public bool IsDeleted => DeletedAt is not null;
}

[GenerateSerializer, Immutable, Alias("SafeGram.MessageReaction")]
public sealed record MessageReaction(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Emoji,
    [property: Id(2)] DateTimeOffset CreatedAt);
