using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>Creates a group or channel; the creator becomes its owner. Input is already validated for shape.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.CreateChat")]
public sealed record CreateChat(
    [property: Id(0)] Guid CreatorId,
    [property: Id(1)] ChatType Type,
    [property: Id(2)] string Name,
    [property: Id(3)] ImmutableArray<Guid> MemberIds);

/// <summary>A send. Idempotent on (<see cref="SenderId"/>, <see cref="ClientMessageId"/>) within the chat.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.PostMessage")]
public sealed record PostMessage(
    [property: Id(0)] Guid SenderId,
    [property: Id(1)] string Text,
    [property: Id(2)] Guid? ReplyTo,
    [property: Id(3)] string? ClientMessageId);

/// <summary>
/// Which page of history: the newest (no cursor), older than <see cref="BeforeMessageId"/>, newer than
/// <see cref="AfterSeq"/>, or every row created or changed after <see cref="SinceVersion"/> (tombstones included).
/// </summary>
[GenerateSerializer, Immutable, Alias("SafeGram.MessageQuery")]
public sealed record MessageQuery(
    [property: Id(0)] int Limit,
    [property: Id(1)] Guid? BeforeMessageId = null,
    [property: Id(2)] long? AfterSeq = null,
    [property: Id(3)] long? SinceVersion = null);

/// <summary>The outcome of a react call: the reaction now in place, or the one removed.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.ReactionChange")]
public sealed record ReactionChange(
    [property: Id(0)] Guid MessageId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] string Emoji,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] bool Removed,
    [property: Id(5)] long Version);
