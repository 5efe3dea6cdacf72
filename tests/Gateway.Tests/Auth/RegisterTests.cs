using System.Globalization;
using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>POST /api/auth/register: the response shape, every validation rule, and uniqueness.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class RegisterTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    [Fact]
    public async Task Register_ValidAccount_ReturnsTokenAndUser()
    {
        var username = "new" + Guid.NewGuid().ToString("N")[..8];

        var (status, body) = await _api.PostAsync("/api/auth/register",
            new { username, password = "long enough", email = $"{username}@example.com", emailCode = "ignored", needsCloudCode = false });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(string.IsNullOrEmpty(body.GetProperty("token").GetString()));
        var user = body.GetProperty("user");
        Assert.True(Guid.TryParse(user.GetProperty("id").GetString(), out _));
        Assert.Equal(username, user.GetProperty("username").GetString());
        Assert.Equal("offline", user.GetProperty("status").GetString());
    }

    public static TheoryData<string?, string?, string?, string> InvalidRegistrations => new()
    {
        { null, "password1", null, "username" },
        { "ab", "password1", null, "username" },
        { new string('a', 33), "password1", null, "username" },
        { "bad name", "password1", null, "username" },
        { "semi;colon", "password1", null, "username" },
        { "\u3164\u3164\u3164", "password1", null, "username" },   // Hangul fillers: letters that draw nothing
        { "\u0430dmin", "password1", null, "username" },   // a Cyrillic а in a Latin name
        { "\uff41\uff44\uff4d\uff49\uff4e", "password1", null, "username" },   // full-width letters
        { "valid_name", null, null, "password" },
        { "valid_name", "short", null, "password" },
        { "valid_name", new string('p', 73), null, "password" },
        { "valid_name", new string('é', 37), null, "password" },   // 74 bytes in UTF-8
        { "valid_name", "password1", "no-at-sign", "email" },
        { "valid_name", "password1", new string('e', 250) + "@x.io", "email" },
        { "valid_name", "password1", "a\u0000b@x.io", "email" },
    };

    [Theory]
    [MemberData(nameof(InvalidRegistrations))]
    public async Task Register_InvalidInput_Is400WithDetail(string? username, string? password, string? email, string field)
    {
        var (status, body) = await _api.PostAsync("/api/auth/register", new { username, password, email });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.Contains(field, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Register_UsernameTakenInAnyCase_IsUserExists()
    {
        var user = await _api.RegisterAsync("Case" + Guid.NewGuid().ToString("N")[..8]);

        var (status, body) = await _api.PostAsync("/api/auth/register", new { username = user.Username.ToUpperInvariant(), password = "password1" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("user_exists", body.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("sam", "ſam")]   // ſ (long s) is lower case, its upper case is S
    [InlineData("σας", "ΣΑΣ")]   // final and medial sigma share one upper case
    public async Task Register_UsernameThatFoldsToATakenOne_IsUserExists(string taken, string lookalike)
    {
        // Digits only: a Greek name may not carry the Latin letters of a hexadecimal suffix.
        var suffix = Random.Shared.NextInt64(10_000_000_000, 99_999_999_999).ToString(CultureInfo.InvariantCulture);
        await _api.RegisterAsync(taken + suffix);

        var (status, body) = await _api.PostAsync("/api/auth/register", new { username = lookalike + suffix, password = "password1" });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("user_exists", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Register_LettersOutsideTheBasicPlane_AreLetters()
    {
        var (status, body) = await _api.PostAsync(
            "/api/auth/register", new { username = "𠮷田" + Guid.NewGuid().ToString("N")[..6], password = "password1" });

        Assert.True(status == HttpStatusCode.OK, $"register answered {(int)status}: {body}");
    }

    [Fact]
    public async Task Register_EmailTaken_IsEmailExists()
    {
        var email = Guid.NewGuid().ToString("N")[..8] + "@example.com";
        await _api.PostAsync("/api/auth/register", new { username = "e" + Guid.NewGuid().ToString("N")[..8], password = "password1", email });

        var (status, body) = await _api.PostAsync("/api/auth/register",
            new { username = "e" + Guid.NewGuid().ToString("N")[..8], password = "password1", email = email.ToUpperInvariant() });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("email_exists", body.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Register_SameUsernameRacingOnTwoGateways_ExactlyOneWins()
    {
        var username = "race" + Guid.NewGuid().ToString("N")[..8];
        using var a = fixture.GatewayA.CreateApiClient();
        using var b = fixture.GatewayB.CreateApiClient();

        var attempts = Enumerable.Range(0, 8)
            .Select(i => (i % 2 == 0 ? a : b).PostAsync("/api/auth/register", new { username, password = "password1" }));
        var results = await Task.WhenAll(attempts);

        Assert.Single(results, r => r.Status == HttpStatusCode.OK);
        Assert.All(results.Where(r => r.Status != HttpStatusCode.OK),
            r => Assert.Equal("user_exists", r.Body.GetProperty("error").GetString()));
    }
}
