using System.Net;
using SafeGram.Gateway.Tests.Auth;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>
/// A socket's upgrade authenticates itself, outside the authentication middleware, with the same rules as every API
/// call: a token in the query or a bearer header, and a 401 with the contract body before any upgrade.
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class SocketAuthenticationTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    [Theory]
    [MemberData(nameof(TokenTests.BrokenTokens), MemberType = typeof(TokenTests))]
    public async Task Upgrade_WithBrokenToken_Is401_InQueryOrHeader(string token)
    {
        var (inQuery, body) = await _api.GetAsync("/ws?token=" + Uri.EscapeDataString(token));
        var (inHeader, _) = await _api.GetAsync("/ws", token);

        Assert.Equal(HttpStatusCode.Unauthorized, inQuery);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, inHeader);
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.GatewayA.ConnectSocketAsync(token));
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.GatewayA.ConnectSocketAsync(token, tokenInHeader: true));
    }

    [Fact]
    public async Task PlainRequest_WithValidToken_PassesAuthentication_AndIsAskedToUpgrade()
    {
        var alice = await _api.RegisterAsync();

        var (inQuery, body) = await _api.GetAsync("/ws?token=" + alice.Token);
        var (inHeader, _) = await _api.GetAsync("/ws", alice.Token);

        Assert.Equal(HttpStatusCode.BadRequest, inQuery);
        Assert.Contains("upgrade", body.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, inHeader);
    }

    [Fact]
    public async Task QueryToken_IsFoundAmongOtherParameters_ByAnyCase_AndMustBeSingle()
    {
        var alice = await _api.RegisterAsync();
        var encoded = Uri.EscapeDataString(alice.Token);

        var (amongOthers, _) = await _api.GetAsync($"/ws?v=2&TOKEN={encoded}&x");
        var (twice, body) = await _api.GetAsync($"/ws?token={encoded}&token={encoded}");
        var (empty, _) = await _api.GetAsync("/ws?token=");
        var (twiceWithHeader, _) = await _api.GetAsync($"/ws?token={encoded}&token=x", alice.Token);

        Assert.Equal(HttpStatusCode.BadRequest, amongOthers);   // authenticated; asked to upgrade
        Assert.Equal(HttpStatusCode.Unauthorized, twice);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, empty);
        Assert.Equal(HttpStatusCode.BadRequest, twiceWithHeader);
    }

    [Fact]
    public async Task Socket_WithBearerHeader_ReceivesItsUsersEvents()
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        await using var bobSocket = await fixture.GatewayA.ConnectSocketAsync(bob.Token, tokenInHeader: true);
        await Task.Delay(300);   // let the subscription land

        var chat = await _api.CreateGroupAsync(alice, bob);

        var added = await bobSocket.WaitForAsync(SocketClient.OfType("chat:new"));
        Assert.Equal(chat.Id(), added.GetProperty("data").Id());
    }
}
