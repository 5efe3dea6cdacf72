using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Auth;

/// <summary>
/// Whether a correctly signed token still names an account, so that a token outliving its account (a restored
/// database, a wiped development store) is a 401 that sends the client back to sign in, not a session that sees
/// nothing. Asked the first time a gateway's REST path meets a token (the token cache then vouches for it) and at each
/// socket upgrade whose token the cache does not hold.
/// </summary>
internal sealed class RegisteredAccounts(IGrainFactory grains)
{
    /// <remarks>Throws when the cluster cannot answer: that is a 503, never a reason to sign anyone out.</remarks>
    public Task<bool> ExistsAsync(Guid userId) => grains.GetUser(userId).HasAccountAsync();
}
