using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>The embedded default: no PostgreSQL, no Redis, a silo inside the gateway, the full account API.</summary>
[Collection(EmbeddedGatewayCollection.Name)]
public sealed class EmbeddedModeTests(EmbeddedGatewayFixture fixture)
{
    private readonly GatewayApplication _app = fixture.Gateway;

    [Fact]
    public async Task RegisterLoginMeSearch_WorkWithoutInfrastructure()
    {
        using var api = _app.CreateApiClient();
        var username = "emb_" + Guid.NewGuid().ToString("N")[..8];
        var user = await api.RegisterAsync(username);

        var (loginStatus, login) = await api.PostAsync("/api/auth/login", new { username = username.ToUpperInvariant(), password = user.Password });
        var token = login.GetProperty("token").GetString();
        var (meStatus, me) = await api.GetAsync("/api/users/me", token);
        var (searchStatus, search) = await api.GetAsync($"/api/users/search?q={username}", token);

        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal(user.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, searchStatus);
        Assert.Equal(username, search.GetProperty("users")[0].GetProperty("username").GetString());
    }

    [Fact]
    public async Task Preflight_FromAnyLocalhostOrigin_IsAllowedInDevelopment()
    {
        using var api = _app.CreateApiClient();
        using var request = new HttpRequestMessage(HttpMethod.Options, "/api/auth/login");
        request.Headers.Add("Origin", "http://127.0.0.1:3000");
        request.Headers.Add("Access-Control-Request-Method", "POST");

        using var response = await api.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }
}
