using System.Net;
using System.Text;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// Every route family of the contract, its socket events and its error answers, through gateway processes as
/// <c>./test.sh</c> runs them: published self-contained and trimmed, as the image ships them. Trimming removes
/// framework code nothing calls directly, so a path that reaches it only by reflection would fail here first.
/// </summary>
public sealed class GatewayProcessContractTests
{
    [Fact]
    public async Task EveryRouteFamily_AnswersThroughGatewayProcesses()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var silo = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gatewayA = await ClusterProcesses.StartGatewayAsync(cluster);
        await using var gatewayB = await ClusterProcesses.StartGatewayAsync(cluster);
        using var apiA = new ApiClient(new HttpClient { BaseAddress = gatewayA.BaseAddress });
        using var apiB = new ApiClient(new HttpClient { BaseAddress = gatewayB.BaseAddress });

        var alice = await apiA.RegisterAsync();
        var bob = await apiB.RegisterAsync();
        var carol = await apiA.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await apiB.PostAsync("/api/auth/login", new { username = alice.Username, password = alice.Password })).Status);
        var (_, me) = await apiB.GetAsync("/api/users/me", alice.Token);
        Assert.Equal(alice.Username, me.GetProperty("username").GetString());
        var (_, found) = await apiA.GetAsync($"/api/users/search?q={bob.Username}", alice.Token);
        Assert.Equal(bob.Id, found.GetProperty("users")[0].GetProperty("id").GetGuid());

        var chatId = (await apiA.CreateGroupAsync(alice, bob)).Id();
        await using var bobSocket = await SocketClient.ConnectAsync(gatewayB.BaseAddress, bob.Token);
        await apiA.WaitUntilOnlineAsync(alice, chatId, bob);

        var first = await apiA.SendAsync(alice, chatId, "hello from A");
        Assert.Equal(first.Id(), (await bobSocket.WaitForAsync(SocketClient.OfType("message"))).GetProperty("data").Id());
        var (replyStatus, reply) = await apiA.PostAsync("/api/messages", new { chatId, text = "a reply", replyTo = first.Id() }, alice.Token);
        Assert.Equal(HttpStatusCode.OK, replyStatus);
        var history = await apiB.HistoryAsync(bob, chatId, "?limit=10");
        Assert.Equal([first.Id(), reply.Id()], history.GetProperty("messages").EnumerateArray().Select(m => m.Id()));
        await ChatApi.ExpectOkAsync(apiB.PostAsync($"/api/chats/{chatId}/read", new { }, bob.Token));

        await ChatApi.ExpectOkAsync(apiB.PostAsync($"/api/messages/{first.Id()}/react", new { emoji = "👍" }, bob.Token));
        await bobSocket.WaitForAsync(SocketClient.OfType("reaction"));
        await ChatApi.ExpectOkAsync(apiA.PostAsync($"/api/messages/{first.Id()}/edit", new { text = "edited" }, alice.Token));
        await bobSocket.WaitForAsync(SocketClient.OfType("message:update"));
        await ChatApi.ExpectOkAsync(apiA.PostAsync($"/api/messages/{reply.Id()}/delete", new { deleteForAll = true }, alice.Token));
        await bobSocket.WaitForAsync(SocketClient.OfType("message:delete"));
        await ChatApi.ExpectOkAsync(apiA.PostAsync($"/api/chats/{chatId}/members", new { userIds = new[] { carol.Id } }, alice.Token));
        await bobSocket.WaitForAsync(SocketClient.OfType("chat:member"));
        using (var leave = new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{chatId}/members/{carol.Id}"))
        {
            Assert.Equal(HttpStatusCode.OK, (await apiA.SendAsync(leave, carol.Token)).Status);
        }

        var (_, chats) = await apiB.GetAsync("/api/chats", bob.Token);
        Assert.Equal(chatId, chats.GetProperty("chats")[0].Id());

        await AssertErrorsAsync(apiA, alice);
        await AssertOperationsAsync(apiB);
    }

    private static async Task AssertErrorsAsync(ApiClient api, RegisteredUser user)
    {
        using var malformed = new HttpRequestMessage(HttpMethod.Post, "/api/chats") { Content = new StringContent("{", Encoding.UTF8, "application/json") };
        var (badStatus, bad) = await api.SendAsync(malformed, user.Token);
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.False(string.IsNullOrEmpty(bad.GetProperty("detail").GetString()));

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.GetAsync("/api/users/me", "not-a-token")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/chats/{Guid.NewGuid()}", user.Token)).Status);
        using var oversized = new HttpRequestMessage(HttpMethod.Post, "/api/auth/register")
        {
            Content = new StringContent($"{{\"username\":\"{new string('x', 70 * 1024)}\"}}", Encoding.UTF8, "application/json"),
        };
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await api.SendAsync(oversized)).Status);
    }

    private static async Task AssertOperationsAsync(ApiClient api)
    {
        var (healthStatus, health) = await api.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, healthStatus);
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync("/health/ready")).Status);
        Assert.Contains("http_server_request_duration", await api.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
        var (documentStatus, document) = await api.GetAsync("/openapi/v1.json");
        Assert.Equal(HttpStatusCode.OK, documentStatus);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/chats/{chatId}/messages", out _));
    }
}
