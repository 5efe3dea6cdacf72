namespace SafeGram.Grains.Abstractions.Users;

/// <summary>Everything the owner sees of their own account.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.UserProfile")]
public sealed record UserProfile(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Username,
    [property: Id(2)] string? Email,
    [property: Id(3)] string AvatarUrl,
    [property: Id(4)] string About,
    [property: Id(5)] string ProfileColor,
    [property: Id(6)] bool ShowBio,
    [property: Id(7)] bool ShowAvatar,
    [property: Id(8)] DateTimeOffset LastSeen,
    [property: Id(9)] bool IsOnline);
