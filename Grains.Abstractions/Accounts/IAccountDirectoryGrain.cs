using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Abstractions.Accounts;

/// <summary>
/// The cluster-wide account directory: username → user id and password hash. Any activation may
/// serve any call; atomicity comes from the unique indexes of the backing store, not the grain.
/// </summary>
[Alias("SafeGram.Grains.Abstractions.Accounts.IAccountDirectoryGrain")]
public interface IAccountDirectoryGrain : IGrainWithIntegerKey
{
    /// <summary>Creates the account unless its username or email is taken (case-insensitively).</summary>
    [Alias("RegisterAsync")]
    Task<RegisterResult> RegisterAsync(NewAccount account);

    /// <summary>The credentials for a username, or <c>null</c> when no such account exists.</summary>
    [Alias("FindCredentialsAsync")]
    Task<AccountCredentials?> FindCredentialsAsync(string username);

    /// <summary>Ranked search: exact match, then prefix, then substring, then by username.</summary>
    [Alias("SearchAsync")]
    Task<ImmutableArray<UserCard>> SearchAsync(string query, int limit);
}
