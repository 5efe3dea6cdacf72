using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>Every forged, broken or expired token is a 401 with the contract body.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class TokenTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    public static TheoryData<string> BrokenTokens()
    {
        var userId = Guid.NewGuid().ToString();
        var now = DateTimeOffset.UtcNow;
        var header = Base64Url("""{"alg":"none","typ":"JWT"}""");
        var payload = Base64Url($$"""{"sub":"{{userId}}","username":"x","iat":{{now.ToUnixTimeSeconds()}},"exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""");
        var valid = Mint(ClusterConfiguration.JwtSecret, now.AddHours(1));
        var parts = valid.Split('.');
        var tampered = $"{parts[0]}.{Base64Url($$"""{"sub":"{{Guid.NewGuid()}}","username":"admin","exp":{{now.AddHours(1).ToUnixTimeSeconds()}}}""")}.{parts[2]}";

        return new TheoryData<string>
        {
            $"{header}.{payload}.",                                         // alg: none
            Mint("a-completely-different-secret-of-enough-length-123", now.AddHours(1)),
            tampered,
            Mint(ClusterConfiguration.JwtSecret, now.AddHours(-1)),         // expired
            Mint(ClusterConfiguration.JwtSecret, expires: null),            // no exp
            Mint(ClusterConfiguration.JwtSecret, now.AddHours(1), subject: "admin"),   // sub is not a user id
            valid,                                                          // signed, but no account has its sub
            "not-a-jwt",
        };
    }

    [Theory]
    [MemberData(nameof(BrokenTokens))]
    public async Task Me_WithBrokenToken_Is401_EveryTime(string token)
    {
        // The second time, the gateway has seen the token before: a token the handler validated but whose 'sub' names
        // no user must not pass on its known-token path either.
        for (var attempt = 0; attempt < 2; attempt++)
        {
            var (status, body) = await _api.GetAsync("/api/users/me", token);

            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        }
    }

    [Theory]
    [InlineData("Bearer {0}")]
    [InlineData("bearer {0}")]
    [InlineData("Bearer   {0}  ")]
    public async Task Me_WithARepeatedToken_IsTheSameUserEveryTime(string headerFormat)
    {
        var user = await _api.RegisterAsync();
        var other = await _api.RegisterAsync();

        for (var attempt = 0; attempt < 3; attempt++)
        {
            foreach (var caller in new[] { user, other })
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
                request.Headers.TryAddWithoutValidation("Authorization", string.Format(CultureInfo.InvariantCulture, headerFormat, caller.Token));
                var (status, body) = await _api.SendAsync(request);

                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(caller.Id, body.GetProperty("id").GetGuid());
            }
        }
    }

    [Fact]
    public async Task Me_WithTwoAuthorizationHeaders_Is401_EvenForAKnownToken()
    {
        var user = await _api.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", user.Token)).Status);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/users/me");
        request.Headers.TryAddWithoutValidation("Authorization", [$"Bearer {user.Token}", $"Bearer {user.Token}"]);
        var (status, _) = await _api.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
    }

    [Fact]
    public async Task Me_WithoutToken_Is401()
    {
        var (status, body) = await _api.GetAsync("/api/users/me");

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("GET", "/api/chats")]
    [InlineData("GET", "/api/users/search?q=someone")]
    [InlineData("POST", "/api/chats")]
    public async Task AnyRoute_WithASignedTokenOfNoAccount_Is401_EveryTime(string method, string path)
    {
        var token = Mint(ClusterConfiguration.JwtSecret, DateTimeOffset.UtcNow.AddHours(1));

        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST")
            {
                request.Content = JsonContent.Create(new { type = "group", name = "no one's" });
            }

            var (status, body) = await _api.SendAsync(request, token);

            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        }
    }

    private static string Mint(string secret, DateTimeOffset? expires, string? subject = null)
    {
        var handler = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false };
        return handler.CreateToken(new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity([new Claim("sub", subject ?? Guid.NewGuid().ToString()), new Claim("username", "someone")]),
            IssuedAt = DateTime.UtcNow.AddHours(-2),
            Expires = expires?.UtcDateTime,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(secret)), SecurityAlgorithms.HmacSha256),
        });
    }

    private static string Base64Url(string json) => Base64UrlEncoder.Encode(json);
}
