namespace SafeGram.Grains.Abstractions.Users;

/// <summary>The public face of a user: never carries email or roles.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.UserCard")]
public sealed record UserCard(
    [property: Id(0)] Guid Id,
    [property: Id(1)] string Username,
    [property: Id(2)] string AvatarUrl,
    [property: Id(3)] bool IsOnline);
