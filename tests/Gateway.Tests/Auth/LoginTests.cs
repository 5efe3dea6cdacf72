using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>POST /api/auth/login: success on any gateway, indistinguishable failures, throttling.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class LoginTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    [Fact]
    public async Task Login_RegisteredOnOtherGateway_Succeeds()
    {
        var user = await _api.RegisterAsync();
        using var other = fixture.GatewayB.CreateApiClient();

        var (status, body) = await other.PostAsync("/api/auth/login",
            new { username = user.Username.ToUpperInvariant(), password = user.Password, emailCode = "x", cloudCode = "y" });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(user.Id, body.GetProperty("user").GetProperty("id").GetGuid());
        Assert.Equal(user.Username, body.GetProperty("user").GetProperty("username").GetString());
        var (meStatus, _) = await other.GetAsync("/api/users/me", body.GetProperty("token").GetString());
        Assert.Equal(HttpStatusCode.OK, meStatus);
    }

    [Fact]
    public async Task Login_WrongPasswordAndUnknownUser_AnswerTheSame()
    {
        var user = await _api.RegisterAsync();

        var wrong = await _api.PostAsync("/api/auth/login", new { username = user.Username, password = "not the password" });
        var unknown = await _api.PostAsync("/api/auth/login", new { username = "ghost" + Guid.NewGuid().ToString("N")[..8], password = "not the password" });

        Assert.Equal(HttpStatusCode.BadRequest, wrong.Status);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.Status);
        Assert.Equal("bad_creds", wrong.Body.GetProperty("error").GetString());
        Assert.Equal(wrong.Body.ToString(), unknown.Body.ToString());
    }

    [Theory]
    [InlineData("someone", null)]
    [InlineData("some\u0000one", "password1")]
    public async Task Login_MissingOrUnstorableFields_Is400(string username, string? password)
    {
        var (status, body) = await _api.PostAsync("/api/auth/login", new { username, password });

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.True(body.TryGetProperty("detail", out _));
    }

    [Fact]
    public async Task Login_RepeatedFailures_AreThrottledPerUsername()
    {
        var user = await _api.RegisterAsync();
        for (var i = 0; i < 5; i++)
        {
            var (failed, _) = await _api.PostAsync("/api/auth/login", new { username = user.Username, password = "wrong password" });
            Assert.Equal(HttpStatusCode.BadRequest, failed);
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { username = user.Username, password = user.Password }),
        };
        using var response = await _api.Http.SendAsync(request);

        // Even the right password waits: the throttle answers before credentials are checked.
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Contains("too_many_attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
