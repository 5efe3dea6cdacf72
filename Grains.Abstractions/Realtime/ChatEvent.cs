using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Abstractions.Realtime;

/// <summary>
/// Something a user's open sockets should hear about. Pushes are hints, not the record: chat events
/// carry the chat's version so a client that sees a gap catches up with <c>sinceVersion</c>.
/// </summary>
[GenerateSerializer, Immutable, Alias("SafeGram.ChatEvent")]
public abstract record ChatEvent;

[GenerateSerializer, Immutable, Alias("SafeGram.MessagePosted")]
public sealed record MessagePosted([property: Id(0)] ChatMessage Message) : ChatEvent;

[GenerateSerializer, Immutable, Alias("SafeGram.MessageEdited")]
public sealed record MessageEdited([property: Id(0)] ChatMessage Message) : ChatEvent;

[GenerateSerializer, Immutable, Alias("SafeGram.MessageDeleted")]
public sealed record MessageDeleted(
    [property: Id(0)] Guid ChatId,
    [property: Id(1)] Guid MessageId,
    [property: Id(2)] long Version) : ChatEvent;

[GenerateSerializer, Immutable, Alias("SafeGram.ReactionChanged")]
public sealed record ReactionChanged([property: Id(0)] Guid ChatId, [property: Id(1)] ReactionChange Change) : ChatEvent;

[GenerateSerializer, Immutable, Alias("SafeGram.UserTyping")]
public sealed record UserTyping(
    [property: Id(0)] Guid ChatId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] bool IsTyping) : ChatEvent;

/// <summary><see cref="Epoch"/> grows with every change of the user's presence, so repeats through several shared chats are dropped.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.PresenceChanged")]
public sealed record PresenceChanged(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] bool IsOnline,
    [property: Id(2)] long Epoch) : ChatEvent;

/// <summary>The receiving user was added to <see cref="Chat"/>.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.AddedToChat")]
public sealed record AddedToChat([property: Id(0)] ChatInfo Chat) : ChatEvent;

[GenerateSerializer, Immutable, Alias("SafeGram.MembershipChanged")]
public sealed record MembershipChanged(
    [property: Id(0)] Guid ChatId,
    [property: Id(1)] Guid UserId,
    [property: Id(2)] bool Added,
    [property: Id(3)] long Version) : ChatEvent;
