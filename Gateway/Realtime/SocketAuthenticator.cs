using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using SafeGram.Gateway.Auth;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// Authenticates a socket's upgrade request itself, with the bearer scheme's own validation parameters and token
/// handler. An upgraded request lives as long as its socket, and the authentication and authorization middleware
/// would keep their per-request objects (handler, principal, claims, properties) alive with it, for hours.
/// </summary>
internal sealed class SocketAuthenticator(IOptionsMonitor<JwtBearerOptions> bearer, CachingTokenHandler tokens)
{
    /// <summary>The caller's id, or <c>null</c> when the request carries no valid token.</summary>
    public async Task<Guid?> AuthenticateAsync(HttpRequest request)
    {
        if (TokenOf(request) is not { } token)
        {
            return null;
        }

        var parameters = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        var result = await tokens.ValidateOnceAsync(token, parameters);
        return result is { IsValid: true, SecurityToken: JsonWebToken validated }
            && SafeGramClaims.UserIdOf(validated.Subject) is var userId && userId != Guid.Empty
            ? userId
            : null;
    }

    /// <summary>Browsers cannot set headers on a socket, so they pass <c>?token=</c>; other clients may send a bearer header.</summary>
    private static string? TokenOf(HttpRequest request)
    {
        if (SingleQueryToken(request.QueryString.Value) is { } fromQuery)
        {
            return fromQuery;
        }

        const string Bearer = "Bearer ";
        return request.Headers.Authorization is [{ } header] && header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase)
            && header.Length > Bearer.Length
            ? header[Bearer.Length..].Trim()
            : null;
    }

    /// <summary>
    /// The one non-empty <c>token</c> parameter, read without <see cref="HttpRequest.Query"/>: the parsed collection is kept
    /// by the request, which an upgraded request keeps for the socket's life, and it would hold another copy of the token.
    /// </summary>
    private static string? SingleQueryToken(string? query)
    {
        ReadOnlyMemory<char>? found = null;
        foreach (var pair in new QueryStringEnumerable(query))
        {
            if (!pair.DecodeName().Span.Equals("token", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (found is not null)
            {
                return null;
            }

            found = pair.DecodeValue();
        }

        return found is { Length: > 0 } token ? token.ToString() : null;
    }
}
