using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Abstractions.Users;

/// <summary>One user: the profile. Keyed by the user id (lowercase UUID string).</summary>
[Alias("SafeGram.Grains.Abstractions.Users.IUserGrain")]
public interface IUserGrain : IGrainWithStringKey
{
    /// <summary>The full profile, or <c>null</c> when no account has this id.</summary>
    [Alias("GetProfileAsync")]
    Task<UserProfile?> GetProfileAsync();

    /// <summary>The public card shown to other users, or <c>null</c> when no account has this id.</summary>
    [Alias("GetCardAsync")]
    Task<UserCard?> GetCardAsync();

    /// <summary>Whether an account has this id. Cheaper than a card: no presence, no session upkeep.</summary>
    [Alias("HasAccountAsync")]
    Task<bool> HasAccountAsync();

    /// <summary>Marks a successful sign-in; updates <see cref="UserProfile.LastSeen"/>.</summary>
    [Alias("RecordSignInAsync")]
    Task RecordSignInAsync();

    /// <summary>The chats the user belongs to. An index kept by the chats themselves, which stay the authority.</summary>
    [Alias("GetChatIdsAsync")]
    Task<ImmutableArray<Guid>> GetChatIdsAsync();

    /// <summary>Called by a chat when the user joins it. Idempotent.</summary>
    [Alias("JoinedChatAsync")]
    Task JoinedChatAsync(Guid chatId);

    /// <summary>Called by a chat when the user leaves it or is removed, and by readers who find a stale entry. Idempotent.</summary>
    [Alias("LeftChatAsync")]
    Task LeftChatAsync(Guid chatId);

    /// <summary>A gateway holds (still) sockets of this user; the first gateway makes the user online.</summary>
    [Alias("ConnectAsync")]
    Task ConnectAsync(IGatewayObserver gateway);

    /// <summary>The gateway closed the user's last socket there; no gateway left makes the user offline.</summary>
    [Alias("DisconnectAsync")]
    Task DisconnectAsync(IGatewayObserver gateway);

    /// <summary>The gateways holding this user's sockets, for a chat that is building its routes.</summary>
    [Alias("GetSessionsAsync")]
    Task<MemberSessions> GetSessionsAsync();
}
