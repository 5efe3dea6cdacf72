using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafeGram.Gateway.Auth;

/// <summary>Mints HS256 tokens with <c>sub</c>, <c>username</c>, <c>iat</c> and <c>exp</c>.</summary>
internal sealed class TokenIssuer(SigningKey key, TimeProvider time)
{
    private readonly JsonWebTokenHandler _handler = new() { SetDefaultTimesOnTokenCreation = false };

    public string Issue(Guid userId, string username)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return _handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([
                new Claim(JwtRegisteredClaimNames.Sub, userId.ToString("D")),
                new Claim(SafeGramClaims.Username, username),
            ]),
            IssuedAt = now,
            Expires = now + key.Lifetime,
            SigningCredentials = new SigningCredentials(key.Key, SecurityAlgorithms.HmacSha256),
        });
    }
}
