using System.Collections.Concurrent;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafeGram.Gateway.Auth;

/// <summary>
/// Validates each distinct token once (parse, signature, lifetime) and then only re-checks its lifetime: clients send
/// the same token with every request, and a full validation was a tenth of a gateway's CPU per request. The key is the
/// whole token, signature included, so only a byte-identical, already-validated token is ever a hit; every hit still
/// gets its own claims identity.
/// </summary>
internal sealed class CachingTokenHandler(TimeProvider time, int capacity = CachingTokenHandler.DefaultCapacity) : JsonWebTokenHandler
{
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, JsonWebToken> _validated = new(StringComparer.Ordinal);

    /// <summary>How many validated tokens are held.</summary>
    public int Count => _validated.Count;

    public override Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters) =>
        ValidateAsync(token, validationParameters, remember: true);

    /// <summary>
    /// For a token presented once, such as a socket's: a validation already held is used, a new one is not kept. Kept
    /// for the token's lifetime, it cost ~1.5 KB of live heap per idle socket whose client never calls the REST API.
    /// </summary>
    public Task<TokenValidationResult> ValidateOnceAsync(string token, TokenValidationParameters validationParameters) =>
        ValidateAsync(token, validationParameters, remember: false);

    private async Task<TokenValidationResult> ValidateAsync(string token, TokenValidationParameters validationParameters, bool remember)
    {
        if (_validated.TryGetValue(token, out var known))
        {
            if (IsLive(known, validationParameters))
            {
                return Accepted(known, validationParameters);
            }

            _validated.TryRemove(token, out _);
        }

        var result = await base.ValidateTokenAsync(token, validationParameters);
        if (remember && result.IsValid && result.SecurityToken is JsonWebToken validated)
        {
            Remember(token, validated);
        }

        return result;
    }

    private bool IsLive(JsonWebToken token, TokenValidationParameters parameters) =>
        time.GetUtcNow().UtcDateTime < token.ValidTo + parameters.ClockSkew;

    private TokenValidationResult Accepted(JsonWebToken token, TokenValidationParameters parameters) => new()
    {
        IsValid = true,
        SecurityToken = token,
        ClaimsIdentity = CreateClaimsIdentity(token, parameters),
        Issuer = token.Issuer,
        TokenType = token.Typ,
    };

    private void Remember(string token, JsonWebToken validated)
    {
        // A full cache is emptied rather than managed: refilling costs one validation per active token.
        if (_validated.Count >= capacity)
        {
            _validated.Clear();
        }

        _validated[token] = validated;
    }
}
