using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
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

        // The bucket refills once a second: each second the sends take may let one more through.
        var sending = Stopwatch.StartNew();
        var sentBeforeTheLimit = 0;
        HttpResponseMessage refused;
        while (true)
        {
            using var send = new HttpRequestMessage(HttpMethod.Post, $"/api/chats/{chat.Id()}/messages")
            {
                Content = JsonContent.Create(new { text = $"flood {sentBeforeTheLimit}" }),
            };
            send.Headers.Authorization = new("Bearer", flooder.Token);
            var response = await api.Http.SendAsync(send);
            if (response.StatusCode != HttpStatusCode.OK || sentBeforeTheLimit == 20)
            {
                refused = response;
                sending.Stop();
                break;
            }

            response.Dispose();
            sentBeforeTheLimit++;
        }

        using (refused)
        {
            var otherStatus = (await api.PostAsync($"/api/chats/{chat.Id()}/messages", new { text = "calm" }, other.Token)).Status;

            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.InRange(sentBeforeTheLimit, 3, 3 + (int)sending.Elapsed.TotalSeconds + 1);
            Assert.True(refused.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
            Assert.Contains("too_many_requests", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, otherStatus);
        }
    }
}
