using Orleans.Concurrency;
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

    /// <summary>Subscribes (or renews) one gateway's observer of this user; the first one makes the user online.</summary>
    [Alias("ConnectAsync")]
    Task ConnectAsync(IUserSessionObserver session);

    /// <summary>Drops one gateway's observer; the last one makes the user offline.</summary>
    [Alias("DisconnectAsync")]
    Task DisconnectAsync(IUserSessionObserver session);

    [Alias("IsOnlineAsync")]
    Task<bool> IsOnlineAsync();

    /// <summary>Pushes an event to every live session of this user. Fire-and-forget: a slow gateway never stalls the sender.</summary>
    [OneWay]
    [Alias("DeliverAsync")]
    Task DeliverAsync(ChatEvent chatEvent);
}
