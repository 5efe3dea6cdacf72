using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace SafeGram.Gateway.Auth;

/// <summary>
/// Validates a token fully (parse, signature, lifetime) until it is remembered, and a remembered one only for its
/// lifetime: clients send the same token with every request, and a full validation was a tenth of a gateway's CPU per
/// request. The key is the whole token, signature included, so only a byte-identical, already-validated token is ever a
/// hit; every hit still gets its own claims identity, a copy of the one the token was validated with. A token is
/// remembered only once its account has been found (<see cref="Remember"/>), so a hit also vouches for the account.
/// </summary>
internal sealed class CachingTokenHandler : JsonWebTokenHandler
{
    public const int DefaultCapacity = 100_000;

    private readonly ConcurrentDictionary<string, Validated> _validated = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Validated>.AlternateLookup<ReadOnlySpan<char>> _validatedBySpan;
    private readonly TimeProvider _time;
    private readonly int _capacity;

    public CachingTokenHandler(TimeProvider time, int capacity = DefaultCapacity)
    {
        _time = time;
        _capacity = capacity;
        _validatedBySpan = _validated.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many validated tokens are held.</summary>
    public int Count => _validated.Count;

    /// <summary>A remembered token's validation, else a full one, which is not remembered by itself.</summary>
    public override async Task<TokenValidationResult> ValidateTokenAsync(string token, TokenValidationParameters validationParameters) =>
        TryGetLive(token, validationParameters, out var known)
            ? Accepted(known)
            : await base.ValidateTokenAsync(token, validationParameters);

    /// <summary>Whether <paramref name="token"/> is remembered and still live: its account was found when it was remembered.</summary>
    public bool IsKnown(ReadOnlySpan<char> token, TokenValidationParameters validationParameters) =>
        TryGetLive(token, validationParameters, out _);

    /// <summary>
    /// Remembers a validated token whose account exists. Only the REST path remembers: a socket presents its token once,
    /// and kept for the token's lifetime it cost ~1.5 KB of live heap per idle socket whose client never calls the API.
    /// </summary>
    public void Remember(JsonWebToken token, ClaimsIdentity identity)
    {
        // A full cache is emptied rather than managed: refilling costs one validation and one account check per active token.
        if (_validated.Count >= _capacity)
        {
            _validated.Clear();
        }

        // A copy: the caller's principal is the request's to change.
        _validated[token.EncodedToken] = new Validated(token, identity.Clone());
    }

    /// <summary>
    /// A fresh identity for a token already validated and still live, read straight from a slice of the request's
    /// header; <c>false</c> for any other token, which then needs a full validation.
    /// </summary>
    public bool TryAcceptKnown(ReadOnlySpan<char> token, TokenValidationParameters validationParameters, [NotNullWhen(true)] out ClaimsIdentity? identity)
    {
        identity = TryGetLive(token, validationParameters, out var known) ? known.Identity.Clone() : null;
        return identity is not null;
    }

    private bool TryGetLive(ReadOnlySpan<char> token, TokenValidationParameters parameters, [NotNullWhen(true)] out Validated? known)
    {
        if (!_validatedBySpan.TryGetValue(token, out known))
        {
            return false;
        }

        if (_time.GetUtcNow().UtcDateTime < known.Token.ValidTo + parameters.ClockSkew)
        {
            return true;
        }

        _validatedBySpan.TryRemove(token, out _, out _);
        known = null;
        return false;
    }

    private static TokenValidationResult Accepted(Validated known) => new()
    {
        IsValid = true,
        SecurityToken = known.Token,
        ClaimsIdentity = known.Identity.Clone(),
        Issuer = known.Token.Issuer,
        TokenType = known.Token.Typ,
    };

    private sealed record Validated(JsonWebToken Token, ClaimsIdentity Identity);
}
