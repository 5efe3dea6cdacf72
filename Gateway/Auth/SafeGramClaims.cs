using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;

namespace SafeGram.Gateway.Auth;

internal static class SafeGramClaims
{
    public const string Username = "username";

    /// <summary>The caller's id; the bearer handler has already rejected tokens without a valid one.</summary>
    public static Guid GetUserId(this ClaimsPrincipal principal) => UserIdOf(principal.FindFirstValue(JwtRegisteredClaimNames.Sub));

    /// <summary>The user id a token's <c>sub</c> names, or <see cref="Guid.Empty"/> when it names none.</summary>
    public static Guid UserIdOf(string? subject) => Guid.TryParse(subject, out var id) ? id : Guid.Empty;
}
