using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>A chat as one member sees it: <see cref="UnreadCount"/> is that member's.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.ChatInfo")]
public sealed record ChatInfo(
    [property: Id(0)] Guid Id,
    [property: Id(1)] ChatType Type,
    [property: Id(2)] string? Name,
    [property: Id(3)] Guid CreatedBy,
    [property: Id(4)] DateTimeOffset CreatedAt,
    [property: Id(5)] DateTimeOffset UpdatedAt,
    [property: Id(6)] ImmutableArray<ChatMember> Members,
    [property: Id(7)] ChatMessage? LastMessage,
    [property: Id(8)] int UnreadCount,
    [property: Id(9)] long Version);

/// <summary>A member and the public card the chat keeps for them (usernames never change).</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.ChatMember")]
public sealed record ChatMember(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] MemberRole Role,
    [property: Id(2)] DateTimeOffset JoinedAt,
    [property: Id(3)] string Username,
    [property: Id(4)] string AvatarUrl,
    [property: Id(5)] bool IsOnline);
