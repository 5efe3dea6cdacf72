using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Private to <see cref="ChatGrain"/>; mutable on purpose, never leaves the grain. Messages are not
/// here: they live in the message log, because this state is rewritten whole on every write.
/// </summary>
internal sealed class ChatState
{
    public ChatType Type { get; set; }

    public string? Name { get; set; }

    public Guid CreatedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset UpdatedAt { get; set; }

    public Dictionary<Guid, MemberState> Members { get; set; } = [];

    /// <summary>The chat version of the last membership change (message changes stamp their rows instead).</summary>
    public long Version { get; set; }
}

internal sealed class MemberState
{
    public MemberRole Role { get; set; }

    public DateTimeOffset JoinedAt { get; set; }

    public string Username { get; set; } = "";

    public string AvatarUrl { get; set; } = "";
}
