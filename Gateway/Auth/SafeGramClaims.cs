using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SafeGram.Gateway.Auth;

internal static class SafeGramClaims
{
    public const string Username = "username";

    /// <summary>The caller's id; the bearer handler has already rejected tokens without a valid one.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) =>
        Guid.TryParse(principal.FindFirstValue(JwtRegisteredClaimNames.Sub), out var id) ? id : Guid.Empty;
}
