using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>The embedded default: no PostgreSQL, no Redis, a silo inside the gateway, the full account API.</summary>
public sealed class EmbeddedModeTests : IAsyncLifetime
{
    private GatewayApplication _app = null!;

    public Task InitializeAsync()
    {
        _app = new GatewayApplication(new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Passwords:BcryptCost"] = "4",
        }, environment: "Development");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task RegisterLoginMeSearch_WorkWithoutInfrastructure()
    {
        using var api = _app.CreateApiClient();
        var user = await api.RegisterAsync("embedded_user");

        var (loginStatus, login) = await api.PostAsync("/api/auth/login", new { username = "EMBEDDED_USER", password = user.Password });
        var token = login.GetProperty("token").GetString();
        var (meStatus, me) = await api.GetAsync("/api/users/me", token);
        var (searchStatus, search) = await api.GetAsync("/api/users/search?q=embedded", token);

        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal(user.Id, me.GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, searchStatus);
        Assert.Equal("embedded_user", search.GetProperty("users")[0].GetProperty("username").GetString());
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
