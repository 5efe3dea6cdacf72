using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Users;

/// <summary>GET /api/users/me and /api/users/search through the production topology.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class UserEndpointsTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    [Fact]
    public async Task Me_HasEveryContractKey()
    {
        var user = await _api.RegisterAsync();

        var (status, body) = await _api.GetAsync("/api/users/me", user.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(user.Id, body.GetProperty("id").GetGuid());
        Assert.Equal(user.Username, body.GetProperty("username").GetString());
        Assert.Equal(0, body.GetProperty("roles").GetArrayLength());
        Assert.Equal("free", body.GetProperty("plan").GetString());
        Assert.Equal("", body.GetProperty("avatarUrl").GetString());
        Assert.Equal("", body.GetProperty("about").GetString());
        Assert.Equal("offline", body.GetProperty("status").GetString());
        Assert.StartsWith("#", body.GetProperty("profileColor").GetString(), StringComparison.Ordinal);
        Assert.True(body.GetProperty("showBio").GetBoolean());
        Assert.True(body.GetProperty("showAvatar").GetBoolean());
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", body.GetProperty("lastSeen").GetString());
    }

    [Fact]
    public async Task Search_RanksExactPrefixSubstring_AndHidesPrivateFields()
    {
        var stem = "s" + Guid.NewGuid().ToString("N")[..7];
        var caller = await _api.RegisterAsync();
        foreach (var name in new[] { "x" + stem, stem + "z", stem })
        {
            await _api.RegisterAsync(name);
        }

        var (status, body) = await _api.GetAsync($"/api/users/search?q={stem.ToUpperInvariant()}", caller.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var users = body.GetProperty("users").EnumerateArray().ToList();
        Assert.Equal([stem, stem + "z", "x" + stem], users.Select(u => u.GetProperty("username").GetString()));
        Assert.All(users, u =>
        {
            Assert.Equal(["id", "username", "avatarUrl", "status", "isOnline"], u.EnumerateObject().Select(p => p.Name));
            Assert.False(u.GetProperty("isOnline").GetBoolean());
        });
    }

    [Fact]
    public async Task Search_TreatsWildcardsLiterally()
    {
        var caller = await _api.RegisterAsync();

        var (status, body) = await _api.GetAsync("/api/users/search?q=%25", caller.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, body.GetProperty("users").GetArrayLength());
    }

    [Theory]
    [InlineData("/api/users/search")]
    [InlineData("/api/users/search?q=")]
    [InlineData("/api/users/search?q=%20%20")]
    [InlineData("/api/users/search?q=a%00b")]
    public async Task Search_WithoutAStorableQuery_Is400(string path)
    {
        var caller = await _api.RegisterAsync();

        var (status, body) = await _api.GetAsync(path, caller.Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Search_AtMostTwentyResults()
    {
        var stem = "m" + Guid.NewGuid().ToString("N")[..6];
        var caller = await _api.RegisterAsync();
        await Task.WhenAll(Enumerable.Range(0, 22).Select(i => _api.RegisterAsync($"{stem}{i:00}")));

        var (_, body) = await _api.GetAsync($"/api/users/search?q={stem}", caller.Token);

        Assert.Equal(20, body.GetProperty("users").GetArrayLength());
    }
}
