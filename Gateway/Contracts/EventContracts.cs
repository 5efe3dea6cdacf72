namespace SafeGram.Gateway.Contracts;

/// <summary>A server → client WebSocket frame: <c>{"type", "data"}</c>.</summary>
public sealed record EventFrame<T>(string Type, T Data);

/// <summary>Typing is flat on the wire, unlike every other event.</summary>
public sealed record TypingFrame(string Type, Guid ChatId, Guid UserId, bool IsTyping);

public sealed record MessageUpdateData(Guid Id, Guid ChatId, Guid SenderId, string Text, DateTimeOffset? EditedAt, DateTimeOffset CreatedAt, long Version);

public sealed record MessageDeleteData(Guid MessageId, Guid ChatId, bool DeleteForAll, long Version);

public sealed record ReactionEventData(Guid MessageId, Guid ChatId, Guid UserId, string Emoji, bool? Removed, long Version);

public sealed record PresenceData(Guid UserId, string Status);

public sealed record MemberEventData(Guid ChatId, Guid UserId, string Action, long Version);

/// <summary>A client → server frame; unknown types and fields are ignored.</summary>
public sealed record ClientFrame(string? Type, Guid? ChatId, bool? IsTyping);
