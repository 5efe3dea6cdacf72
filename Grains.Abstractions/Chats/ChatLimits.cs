namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>The contract's limits for chats and messages, enforced by the gateway and again by the grain.</summary>
public static class ChatLimits
{
    public const int MaxMembersAtCreation = 200;
    public const int MaxMembers = 5_000;
    public const int MaxNameLength = 128;
    public const int MaxTextLength = 4096;
    public const int MaxEmojiBytes = 32;
    public const int MaxClientMessageIdLength = 128;
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 200;
}
