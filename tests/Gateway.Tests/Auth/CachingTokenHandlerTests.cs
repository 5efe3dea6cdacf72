using System.Security.Claims;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafeGram.Gateway.Auth;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>
/// A token is remembered only when told (its account found); a remembered token is still held to its lifetime and to
/// byte-identity; nothing else gets in through the cache.
/// </summary>
public sealed class CachingTokenHandlerTests
{
    private static readonly SymmetricSecurityKey Key = new(Encoding.UTF8.GetBytes("caching-token-handler-tests-secret-0123456789"));
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 25, 12, 0, 0, TimeSpan.Zero));

    private TokenValidationParameters Parameters => new()
    {
        IssuerSigningKey = Key,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ValidateIssuer = false,
        ValidateAudience = false,
        ClockSkew = TimeSpan.FromSeconds(30),
        LifetimeValidator = (notBefore, expires, _, _) => expires > _time.GetUtcNow().UtcDateTime,
    };

    [Fact]
    public async Task RepeatedToken_IsAcceptedWithItsClaimsEachTime()
    {
        var handler = new CachingTokenHandler(_time);
        var userId = Guid.NewGuid();
        var token = Mint(userId, _time.GetUtcNow().AddHours(1));

        var first = await ValidateAndRememberAsync(handler, token);
        var second = await handler.ValidateTokenAsync(token, Parameters);

        Assert.True(first.IsValid);
        Assert.True(second.IsValid);
        Assert.Equal(userId.ToString(), second.ClaimsIdentity.FindFirst(JwtRegisteredClaimNames.Sub)?.Value);
        Assert.NotSame(first.ClaimsIdentity, second.ClaimsIdentity);
    }

    [Fact]
    public async Task RememberedToken_IsRejectedOnceExpired()
    {
        var (handler, token) = await RememberedAsync(TimeSpan.FromMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(31));

        Assert.False((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
    }

    [Fact]
    public async Task RememberedToken_DoesNotVouchForAnAlteredCopy()
    {
        var (handler, token) = await RememberedAsync(TimeSpan.FromHours(1));

        var parts = token.Split('.');
        var forgedPayload = Base64UrlEncoder.Encode($$"""{"sub":"{{Guid.NewGuid()}}","exp":{{_time.GetUtcNow().AddHours(1).ToUnixTimeSeconds()}}}""");

        Assert.False((await handler.ValidateTokenAsync($"{parts[0]}.{forgedPayload}.{parts[2]}", Parameters)).IsValid);
    }

    [Fact]
    public async Task FullCache_StartsOverAndKeepsValidating()
    {
        var handler = new CachingTokenHandler(_time, capacity: 2);
        var tokens = Enumerable.Range(0, 5).Select(_ => Mint(Guid.NewGuid(), _time.GetUtcNow().AddHours(1))).ToList();

        foreach (var token in tokens.Concat(tokens))
        {
            Assert.True((await ValidateAndRememberAsync(handler, token)).IsValid);
            Assert.InRange(handler.Count, 1, 2);
        }
    }

    [Fact]
    public async Task ValidatedToken_IsNotRemembered_UntilItsAccountIsVouchedFor()
    {
        var handler = new CachingTokenHandler(_time);
        var token = Mint(Guid.NewGuid(), _time.GetUtcNow().AddHours(1));

        var validation = await handler.ValidateTokenAsync(token, Parameters);
        Assert.True(validation.IsValid);
        Assert.False(handler.IsKnown(token, Parameters));
        Assert.False(handler.TryAcceptKnown(token, Parameters, out _));
        Assert.Equal(0, handler.Count);

        handler.Remember((JsonWebToken)validation.SecurityToken, validation.ClaimsIdentity);
        Assert.True(handler.IsKnown(token, Parameters));
        Assert.Equal(1, handler.Count);

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(31));
        Assert.False(handler.IsKnown(token, Parameters));
        Assert.False((await handler.ValidateTokenAsync(token, Parameters)).IsValid);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task AlteredToken_IsRejected()
    {
        var handler = new CachingTokenHandler(_time);
        var token = Mint(Guid.NewGuid(), _time.GetUtcNow().AddHours(1));
        var parts = token.Split('.');
        var otherSignature = (parts[2][0] == 'A' ? "B" : "A") + parts[2][1..];

        Assert.False((await handler.ValidateTokenAsync($"{parts[0]}.{parts[1]}.{otherSignature}", Parameters)).IsValid);
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task KnownToken_IsAcceptedFromASliceOfTheHeader_WithItsOwnIdentity()
    {
        var handler = new CachingTokenHandler(_time);
        var userId = Guid.NewGuid();
        var token = Mint(userId, _time.GetUtcNow().AddHours(1));
        var header = $"Bearer {token}";
        Assert.False(handler.TryAcceptKnown(header.AsSpan(7), Parameters, out _));
        var validation = await ValidateAndRememberAsync(handler, token);

        Assert.True(handler.TryAcceptKnown(header.AsSpan(7), Parameters, out var first));
        Assert.True(handler.TryAcceptKnown(header.AsSpan(7), Parameters, out var second));
        Assert.Equal(userId.ToString(), first.FindFirst(JwtRegisteredClaimNames.Sub)?.Value);
        Assert.Equal(validation.ClaimsIdentity.Claims.Select(claim => (claim.Type, claim.Value)), second.Claims.Select(claim => (claim.Type, claim.Value)));
        Assert.NotSame(first, second);
        Assert.NotSame(validation.ClaimsIdentity, first);
    }

    [Fact]
    public async Task KnownToken_IsNotAcceptedOnceExpired_AndIsForgotten()
    {
        var (handler, token) = await RememberedAsync(TimeSpan.FromMinutes(5));

        _time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(31));

        Assert.False(handler.TryAcceptKnown(token, Parameters, out _));
        Assert.Equal(0, handler.Count);
    }

    [Fact]
    public async Task KnownToken_DoesNotVouchForAPrefixOrAnExtension()
    {
        var (handler, token) = await RememberedAsync(TimeSpan.FromHours(1));

        Assert.False(handler.TryAcceptKnown(token.AsSpan(0, token.Length - 1), Parameters, out _));
        Assert.False(handler.TryAcceptKnown(token + "A", Parameters, out _));
    }

    [Fact]
    public async Task ChangesToAnAcceptedIdentity_DoNotReachTheNextRequest()
    {
        var handler = new CachingTokenHandler(_time);
        var token = Mint(Guid.NewGuid(), _time.GetUtcNow().AddHours(1));
        var validation = await ValidateAndRememberAsync(handler, token);
        validation.ClaimsIdentity.AddClaim(new Claim("role", "admin"));
        Assert.True(handler.TryAcceptKnown(token, Parameters, out var accepted));
        accepted.AddClaim(new Claim("role", "admin"));

        Assert.True(handler.TryAcceptKnown(token, Parameters, out var next));

        Assert.Null(next.FindFirst("role"));
        Assert.Null((await handler.ValidateTokenAsync(token, Parameters)).ClaimsIdentity.FindFirst("role"));
    }

    /// <summary>A handler that has validated and remembered one fresh token living <paramref name="lifetime"/>.</summary>
    private async Task<(CachingTokenHandler Handler, string Token)> RememberedAsync(TimeSpan lifetime)
    {
        var handler = new CachingTokenHandler(_time);
        var token = Mint(Guid.NewGuid(), _time.GetUtcNow() + lifetime);
        Assert.True((await ValidateAndRememberAsync(handler, token)).IsValid);
        return (handler, token);
    }

    /// <summary>What the bearer scheme does once the token's account is found.</summary>
    private async Task<TokenValidationResult> ValidateAndRememberAsync(CachingTokenHandler handler, string token)
    {
        var validation = await handler.ValidateTokenAsync(token, Parameters);
        if (validation.IsValid)
        {
            handler.Remember((JsonWebToken)validation.SecurityToken, validation.ClaimsIdentity);
        }

        return validation;
    }

    private string Mint(Guid userId, DateTimeOffset expires) => new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
    {
        Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, userId.ToString())]),
        IssuedAt = _time.GetUtcNow().UtcDateTime,
        NotBefore = _time.GetUtcNow().UtcDateTime,
        Expires = expires.UtcDateTime,
        SigningCredentials = new SigningCredentials(Key, SecurityAlgorithms.HmacSha256),
    });
}
