using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Chats;

/// <summary>Sends beyond a user's burst are refused with 429 and Retry-After; other users are unaffected.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class SendRateLimitTests(ProductionClusterFixture fixture) : IAsyncLifetime
{
    private GatewayApplication _gateway = null!;

    public Task InitializeAsync()
    {
        var settings = fixture.Cluster.ToSettings();
        settings["RateLimits:Send:Burst"] = "3";
        settings["RateLimits:Send:PerSecond"] = "1";
        _gateway = new GatewayApplication(settings);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _gateway.DisposeAsync();

    [Fact]
    public async Task Send_BeyondTheBurst_Is429WithRetryAfter()
    {
        using var api = _gateway.CreateApiClient();
        var flooder = await api.RegisterAsync();
        var other = await api.RegisterAsync();
        var chat = await api.CreateGroupAsync(flooder, other);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            statuses.Add((await api.PostAsync($"/api/chats/{chat.Id()}/messages", new { text = $"flood {i}" }, flooder.Token)).Status);
        }

        using var limited = new HttpRequestMessage(HttpMethod.Post, $"/api/chats/{chat.Id()}/messages")
        {
            Content = System.Net.Http.Json.JsonContent.Create(new { text = "still flooding" }),
        };
        limited.Headers.Authorization = new("Bearer", flooder.Token);
        using var response = await api.Http.SendAsync(limited);
        var otherStatus = (await api.PostAsync($"/api/chats/{chat.Id()}/messages", new { text = "calm" }, other.Token)).Status;

        Assert.InRange(statuses.Count(s => s == HttpStatusCode.OK), 3, 4);   // a refill may land between sends
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Contains("too_many_requests", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, otherStatus);
    }
}
