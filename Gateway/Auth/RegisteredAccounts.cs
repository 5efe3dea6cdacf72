using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Auth;

/// <summary>
/// Whether a correctly signed token still names an account. Asked once per token and gateway (the token cache then
/// vouches for it), so a token outliving its account (a restored database, a wiped development store) is a 401 that
/// sends the client back to sign in, not a session that sees nothing.
/// </summary>
internal sealed class RegisteredAccounts(IGrainFactory grains)
{
    /// <remarks>Throws when the cluster cannot answer: that is a 503, never a reason to sign anyone out.</remarks>
    public async Task<bool> ExistsAsync(Guid userId) => await grains.GetUser(userId).GetCardAsync() is not null;
}
