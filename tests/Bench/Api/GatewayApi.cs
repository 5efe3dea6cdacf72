using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SafeGram.Bench.Api;

/// <summary>The handful of SafeGram REST calls the benchmark needs, against one gateway.</summary>
internal sealed class GatewayApi(HttpClient http)
{
    public const string Password = "bench-password-1";

    public Uri BaseAddress => http.BaseAddress!;

    public async Task<BenchUser> RegisterAsync(string username, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/register", new { username, password = Password }, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        var user = body.GetProperty("user");
        return new BenchUser(user.GetProperty("id").GetGuid(), user.GetProperty("username").GetString()!, body.GetProperty("token").GetString()!);
    }

    public async Task<BenchUser> LoginAsync(string username, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsJsonAsync("/api/auth/login", new { username, password = Password }, cancellationToken);
        var body = await ReadAsync(response, cancellationToken);
        var user = body.GetProperty("user");
        return new BenchUser(user.GetProperty("id").GetGuid(), user.GetProperty("username").GetString()!, body.GetProperty("token").GetString()!);
    }

    public async Task<Guid> CreateGroupAsync(BenchUser owner, string name, IEnumerable<Guid> memberIds, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Post, "/api/chats", owner, new { type = "group", name, memberIds });
        using var response = await http.SendAsync(request, cancellationToken);
        return (await ReadAsync(response, cancellationToken)).GetProperty("id").GetGuid();
    }

    public async Task AddMembersAsync(BenchUser owner, Guid chatId, IEnumerable<Guid> userIds, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Post, $"/api/chats/{chatId}/members", owner, new { userIds });
        using var response = await http.SendAsync(request, cancellationToken);
        await ReadAsync(response, cancellationToken);
    }

    /// <summary>Sends a message; <c>true</c> on 200.</summary>
    public async Task<bool> SendAsync(BenchUser sender, Guid chatId, string text, string? clientMessageId, CancellationToken cancellationToken)
    {
        using var request = Authorized(HttpMethod.Post, $"/api/chats/{chatId}/messages", sender, new { text, clientMessageId });
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return response.IsSuccessStatusCode;
    }

    private static HttpRequestMessage Authorized(HttpMethod method, string path, BenchUser user, object body)
    {
        var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", user.Token);
        return request;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"{(int)response.StatusCode} from {response.RequestMessage?.RequestUri}: {text}");
        }

        return JsonDocument.Parse(text).RootElement;
    }
}
