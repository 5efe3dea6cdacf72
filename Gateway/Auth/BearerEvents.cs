using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using SafeGram.Gateway.Realtime;

namespace SafeGram.Gateway.Auth;

/// <summary>
/// The bearer scheme's hooks: sockets skip it, known tokens take a short path, and a token must name an existing account.
/// </summary>
internal sealed class BearerEvents(CachingTokenHandler tokens, RegisteredAccounts accounts) : JwtBearerEvents
{
    public override Task MessageReceived(MessageReceivedContext context)
    {
        // A socket's upgrade authenticates itself (SocketAuthenticator): what this handler builds for a request stays
        // alive as long as the request, which for a socket is hours.
        if (context.Request.Path == WebSocketEndpoints.SocketPath)
        {
            context.NoResult();
            return Task.CompletedTask;
        }

        // A token this gateway has already validated is accepted here, before the handler copies its validation
        // parameters, cuts the token out of the header and rebuilds the claims for every request; that work was a
        // sixth (1.58 KB) of what a gateway allocated per authenticated request. Anything else takes the full path.
        if (context.Request.Headers.Authorization is [{ } header]
            && BearerHeader.TryGetToken(header, out var token)
            && tokens.TryAcceptKnown(token, context.Options.TokenValidationParameters, out var identity)
            && new ClaimsPrincipal(identity) is var principal
            && principal.GetUserId() != Guid.Empty)
        {
            context.Principal = principal;
            context.Success();
        }

        return Task.CompletedTask;
    }

    public override async Task TokenValidated(TokenValidatedContext context)
    {
        if (context.Principal is not { Identity: ClaimsIdentity identity } principal || principal.GetUserId() is var userId && userId == Guid.Empty)
        {
            context.Fail($"The token has no valid '{JwtRegisteredClaimNames.Sub}'.");
            return;
        }

        if (context.SecurityToken is not JsonWebToken token)
        {
            // Only this gateway's handler validates tokens, and it yields JSON web tokens: anything else skipped the check.
            context.Fail("The token was not validated by the gateway's token handler.");
            return;
        }

        if (tokens.IsKnown(token.EncodedToken, context.Options.TokenValidationParameters))
        {
            return;
        }

        // Thrown here, a failure to ask is the request's (503): the scheme turns only token handlers' exceptions into 401s.
        if (!await accounts.ExistsAsync(userId))
        {
            context.Fail("The token's account does not exist.");
            return;
        }

        tokens.Remember(token, identity);
    }
}
