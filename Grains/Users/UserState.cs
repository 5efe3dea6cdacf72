namespace SafeGram.Grains.Users;

/// <summary>Private to <see cref="UserGrain"/>; mutable on purpose, never leaves the grain.</summary>
internal sealed class UserState
{
    public string Username { get; set; } = "";
    public string? Email { get; set; }
    public string AvatarUrl { get; set; } = "";
    public string About { get; set; } = "";
    public string ProfileColor { get; set; } = "";
    public bool ShowBio { get; set; } = true;
    public bool ShowAvatar { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset LastSeen { get; set; }

    public HashSet<Guid> Chats { get; set; } = [];
}
