using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>A thin client speaking the wire contract; answers come back as raw JSON to assert on.</summary>
public sealed class ApiClient(HttpClient http) : IDisposable
{
    public HttpClient Http => http;

    public async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string path, object body, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(body) };
        return await SendAsync(request, token);
    }

    /// <summary>Like a real client: a 503 (cluster starting or failing over) is retried after a pause.</summary>
    public async Task<(HttpStatusCode Status, JsonElement Body)> PostRetryingAsync(string path, object body, string? token = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            var answer = await PostAsync(path, body, token);
            if (answer.Status != HttpStatusCode.ServiceUnavailable || attempt == 5)
            {
                return answer;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> GetAsync(string path, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request, token);
    }

    public async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpRequestMessage request, string? token = null)
    {
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var body = text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
        return (response.StatusCode, body);
    }

    /// <summary>Registers a fresh user and returns its token and id.</summary>
    public async Task<RegisteredUser> RegisterAsync(string? username = null, string password = "correct horse")
    {
        username ??= "u" + Guid.NewGuid().ToString("N")[..12];
        var (status, body) = await PostRetryingAsync("/api/auth/register", new { username, password });
        Assert.True(status == HttpStatusCode.OK, $"register answered {(int)status}: {body}");
        return new RegisteredUser(
            body.GetProperty("user").GetProperty("id").GetGuid(), username, password, body.GetProperty("token").GetString()!);
    }

    public void Dispose() => http.Dispose();
}

public sealed record RegisteredUser(Guid Id, string Username, string Password, string Token);
