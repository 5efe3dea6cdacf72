using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Contracts;

public sealed record MeResponse(
    Guid Id,
    string Username,
    IReadOnlyList<string> Roles,
    string Plan,
    string AvatarUrl,
    string About,
    string Status,
    string ProfileColor,
    bool ShowBio,
    bool ShowAvatar,
    DateTimeOffset LastSeen)
{
    public static MeResponse From(UserProfile profile) => new(
        profile.Id, profile.Username, [], "free", profile.AvatarUrl, profile.About,
        Presence.Of(profile.IsOnline), profile.ProfileColor, profile.ShowBio, profile.ShowAvatar, profile.LastSeen);
}

public sealed record UserSearchResponse(IReadOnlyList<UserSearchHit> Users);

public sealed record UserSearchHit(Guid Id, string Username, string AvatarUrl, string Status, bool IsOnline)
{
    public static UserSearchHit From(UserCard card) =>
        new(card.Id, card.Username, card.AvatarUrl, Presence.Of(card.IsOnline), card.IsOnline);
}

/// <summary>A user's <c>status</c> on the wire is their presence.</summary>
public static class Presence
{
    public const string Online = "online";
    public const string Offline = "offline";

    public static string Of(bool isOnline) => isOnline ? Online : Offline;
}
