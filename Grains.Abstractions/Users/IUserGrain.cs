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
}
