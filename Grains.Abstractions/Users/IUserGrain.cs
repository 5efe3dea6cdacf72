using System.Collections.Immutable;

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
}
