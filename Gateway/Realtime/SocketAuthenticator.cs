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
internal sealed class SocketAuthenticator(IOptionsMonitor<JwtBearerOptions> bearer, CachingTokenHandler tokens, RegisteredAccounts accounts)
{
    /// <summary>The caller's id, or <c>null</c> when the request carries no valid token.</summary>
    public Task<Guid?> AuthenticateAsync(HttpRequest request) =>
        AuthenticateAsync(request.QueryString.Value, request.Headers.Authorization is [{ } header] ? header : null);

    /// <summary>
    /// The caller's id from a request's query string or its single <c>Authorization</c> header, or <c>null</c> when
    /// neither carries a valid token of an existing account. Browsers cannot set headers on a socket, so they pass
    /// <c>?token=</c>. Throws when the cluster cannot say whether the account exists.
    /// </summary>
    public async Task<Guid?> AuthenticateAsync(string? query, string? authorization)
    {
        if ((SingleQueryToken(query) ?? HeaderToken(authorization)) is not { } token)
        {
            return null;
        }

        var parameters = bearer.Get(JwtBearerDefaults.AuthenticationScheme).TokenValidationParameters;
        // A remembered token's account was found when it was remembered; a socket's own token is not remembered.
        var known = tokens.IsKnown(token, parameters);
        var result = await tokens.ValidateTokenAsync(token, parameters);
        return result is { IsValid: true, SecurityToken: JsonWebToken validated }
            && SafeGramClaims.UserIdOf(validated.Subject) is var userId && userId != Guid.Empty
            && (known || await accounts.ExistsAsync(userId))
            ? userId
            : null;
    }

    private static string? HeaderToken(string? authorization) =>
        BearerHeader.TryGetToken(authorization, out var token) ? token.ToString() : null;

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
