using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Http;

/// <summary>
/// On the real server, JSON answers leave with their <c>Content-Length</c>, not chunked: the body's length is known
/// before the headers are written, so a response is one write instead of a body and a closing chunk.
/// </summary>
public sealed class ResponseFramingTests(KestrelGatewayFixture fixture) : IClassFixture<KestrelGatewayFixture>
{
    [Fact]
    public async Task JsonAnswers_CarryTheirLength()
    {
        using var api = fixture.CreateApiClient();
        var user = await api.RegisterAsync();
        var other = await api.RegisterAsync();
        var chatId = (await api.CreateGroupAsync(user, other)).Id();

        await AssertSizedAsync(api, HttpMethod.Post, "/api/auth/login", user, new { username = user.Username, password = user.Password });
        await AssertSizedAsync(api, HttpMethod.Get, "/api/users/me", user);
        await AssertSizedAsync(api, HttpMethod.Get, "/api/chats", user);
        var sent = await AssertSizedAsync(api, HttpMethod.Post, $"/api/chats/{chatId}/messages", user, new { text = "sized" });
        Assert.Equal("sized", sent.GetProperty("text").GetString());
        await AssertSizedAsync(api, HttpMethod.Get, $"/api/chats/{chatId}/messages", other);
        await AssertSizedAsync(api, HttpMethod.Post, $"/api/messages/{sent.Id()}/react", other, new { emoji = "👍" });
    }

    [Fact]
    public async Task AnswerOfAValueDeclaredAsObject_IsItsRuntimeShape()
    {
        using var api = fixture.CreateApiClient();
        var user = await api.RegisterAsync();
        var chatId = (await api.CreateGroupAsync(user)).Id();

        var chat = await AssertSizedAsync(api, HttpMethod.Get, $"/api/chats/{chatId}", user);

        Assert.Equal(chatId, chat.Id());
        Assert.Equal(JsonValueKind.Array, chat.GetProperty("members").ValueKind);
    }

    private static async Task<JsonElement> AssertSizedAsync(ApiClient api, HttpMethod method, string path, RegisteredUser caller, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", caller.Token);

        using var response = await api.Http.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {path} answered {(int)response.StatusCode}");
        Assert.NotEqual(true, response.Headers.TransferEncodingChunked);
        Assert.Equal(bytes.Length, response.Content.Headers.ContentLength);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(bytes).RootElement.Clone();
    }
}
