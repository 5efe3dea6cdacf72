namespace SafeGram.Grains.Users;

/// <summary>
/// The silo's side door into a user grain, kept out of the gateway-facing <c>IUserGrain</c>: only
/// <see cref="SessionExpirySweep"/> calls it. Keyed like the user grain (lowercase UUID string).
/// </summary>
[Alias("SafeGram.Grains.Users.ISessionExpiryGrain")]
internal interface ISessionExpiryGrain : IGrainWithStringKey
{
    /// <summary>Drops the sessions whose gateway stopped renewing and, if any went, tells the user's chats.</summary>
    [Alias("ExpireSessionsAsync")]
    Task ExpireSessionsAsync();
}
