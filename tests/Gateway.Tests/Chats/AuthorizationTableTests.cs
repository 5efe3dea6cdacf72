using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Chats;

/// <summary>
/// Every chat and message endpoint, called by an outsider and by a removed member: each is denied,
/// and the chat is left exactly as it was. Unknown ids answer 404.
/// </summary>
public abstract class AuthorizationTableTests(GatewayApplication gateway)
{
    private readonly ApiClient _api = gateway.CreateApiClient();

    /// <summary>(method, path, body) with {chat}, {message} and {member} placeholders.</summary>
    public static TheoryData<string, string, string?> Endpoints => new()
    {
        { "GET", "/api/chats/{chat}", null },
        { "GET", "/api/chats/{chat}/messages", null },
        { "GET", "/api/chats/{chat}/messages?sinceVersion=0", null },
        { "POST", "/api/chats/{chat}/messages", """{"text":"intruder"}""" },
        { "POST", "/api/messages", """{"chatId":"{chat}","text":"intruder"}""" },
        { "POST", "/api/chats/{chat}/members", """{"userIds":["{member}"]}""" },
        { "DELETE", "/api/chats/{chat}/members/{member}", null },
        { "POST", "/api/chats/{chat}/read", "{}" },
        { "POST", "/api/messages/{message}/react", """{"emoji":"👀"}""" },
        { "POST", "/api/messages/{message}/edit", """{"text":"rewritten"}""" },
        { "POST", "/api/messages/{message}/delete", "{}" },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task Outsider_IsDenied_AndNothingChanges(string method, string path, string? body)
    {
        var scene = await SceneAsync();
        var outsider = await _api.RegisterAsync();

        await AssertDeniedAsync(scene, outsider, method, path, body);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task RemovedMember_IsDenied_AndNothingChanges(string method, string path, string? body)
    {
        var scene = await SceneAsync();
        var removed = await _api.RegisterAsync();
        await _api.PostAsync($"/api/chats/{scene.ChatId}/members", new { userIds = new[] { removed.Id } }, scene.Owner.Token);
        var (status, _) = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{scene.ChatId}/members/{removed.Id}"), scene.Owner.Token);
        Assert.Equal(HttpStatusCode.OK, status);
        scene = scene with { Before = await SnapshotAsync(scene) };

        await AssertDeniedAsync(scene, removed, method, path, body);
    }

    [Theory]
    [MemberData(nameof(Endpoints))]
    public async Task UnknownIds_Are404(string method, string path, string? body)
    {
        var caller = await _api.RegisterAsync();
        var request = Build(method, path, body, Guid.NewGuid(), Guid.NewGuid(), caller.Id);

        var (status, response) = await _api.SendAsync(request, caller.Token);

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal("not_found", response.GetProperty("error").GetString());
    }

    private async Task AssertDeniedAsync(Scene scene, RegisteredUser caller, string method, string path, string? body)
    {
        var request = Build(method, path, body, scene.ChatId, scene.MessageId, scene.Member.Id);

        var (status, response) = await _api.SendAsync(request, caller.Token);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("forbidden", response.GetProperty("error").GetString());
        Assert.Equal("Only members of this chat may do this.", response.GetProperty("detail").GetString());
        Assert.Equal(scene.Before, await SnapshotAsync(scene));
    }

    private async Task<Scene> SceneAsync()
    {
        var owner = await _api.RegisterAsync();
        var member = await _api.RegisterAsync();
        var chat = await _api.CreateGroupAsync(owner, member);
        var message = await _api.SendAsync(owner, chat.Id(), "secret");
        var scene = new Scene(owner, member, chat.Id(), message.Id(), "");
        return scene with { Before = await SnapshotAsync(scene) };
    }

    /// <summary>Everything an owner can observe: the chat (members, version, unread) and its full change log.</summary>
    private async Task<string> SnapshotAsync(Scene scene)
    {
        var (_, chat) = await _api.GetAsync($"/api/chats/{scene.ChatId}", scene.Owner.Token);
        var (_, changes) = await _api.GetAsync($"/api/chats/{scene.ChatId}/messages?sinceVersion=0", scene.Owner.Token);
        return chat.ToString() + changes;
    }

    private static HttpRequestMessage Build(string method, string path, string? body, Guid chatId, Guid messageId, Guid memberId)
    {
        string Fill(string text) => text.Replace("{chat}", chatId.ToString(), StringComparison.Ordinal)
            .Replace("{message}", messageId.ToString(), StringComparison.Ordinal)
            .Replace("{member}", memberId.ToString(), StringComparison.Ordinal);

        var request = new HttpRequestMessage(new HttpMethod(method), Fill(path));
        if (body is not null)
        {
            request.Content = new StringContent(Fill(body), System.Text.Encoding.UTF8, "application/json");
        }

        return request;
    }

    private sealed record Scene(RegisteredUser Owner, RegisteredUser Member, Guid ChatId, Guid MessageId, string Before);
}

[Collection(ProductionClusterCollection.Name)]
public sealed class AuthorizationTableTests_Production(ProductionClusterFixture fixture) : AuthorizationTableTests(fixture.GatewayB);

[Collection(EmbeddedGatewayCollection.Name)]
public sealed class AuthorizationTableTests_Embedded(EmbeddedGatewayFixture fixture) : AuthorizationTableTests(fixture.Gateway);
