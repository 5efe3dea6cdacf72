using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Tests.Operations;

/// <summary>What operators scrape and read on the embedded default: health, Prometheus metrics, the OpenAPI document.</summary>
[Collection(EmbeddedGatewayCollection.Name)]
public sealed class OperationsEndpointsTests(EmbeddedGatewayFixture fixture)
{
    private readonly ApiClient _api = fixture.Gateway.CreateApiClient();

    [Fact]
    public async Task Health_LiveAndReady_ReportTheCluster()
    {
        var (liveStatus, live) = await _api.GetAsync("/health/live");
        var (readyStatus, ready) = await _api.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.OK, liveStatus);
        Assert.Equal("ok", live.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.OK, readyStatus);
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("cluster").GetString());
    }

    [Fact]
    public async Task Metrics_ExposeSafeGramOrleansAndHttpMeters()
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        var chat = await _api.CreateGroupAsync(alice, bob);
        await _api.SendAsync(alice, chat.Id(), "counted");

        var text = await ScrapeUntilAsync(text => text.Contains("safegram_messages_sent", StringComparison.Ordinal)
            && text.Contains("http_server_request_duration", StringComparison.Ordinal));

        Assert.Contains("safegram_messages_sent", text, StringComparison.Ordinal);
        Assert.Contains("safegram_message_send_duration", text, StringComparison.Ordinal);
        Assert.Contains("orleans_", text, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
        Assert.Contains(text.Split('\n'), line => line.StartsWith("http_server_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && line.Contains("le=\"0.0075\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_LeaveOutMetersThatRepeatTheRequestDurationPerRequest()
    {
        var alice = await _api.RegisterAsync();

        var text = await ScrapeWhileRequestingAsync(alice.Token);

        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_routing_match_attempts", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_authentication_authenticate_duration", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_authorization_attempts", text, StringComparison.Ordinal);
        Assert.DoesNotContain("aspnetcore_memory_pool", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_KeepRecordingAfterAnotherHostInTheProcessStops()
    {
        var alice = await _api.RegisterAsync();
        await using (var other = EmbeddedGatewayFixture.CreateGateway())
        {
            var (status, _) = await other.CreateApiClient().GetAsync("/health/live");
            Assert.Equal(HttpStatusCode.OK, status);
        }

        // The first scrape after the other host stopped is the last one a series it shared could appear in; the
        // exporter answers from that scrape for 300 ms.
        await _api.Http.GetStringAsync("/metrics");
        await Task.Delay(TimeSpan.FromMilliseconds(400));
        var text = await ScrapeWhileRequestingAsync(alice.Token);

        Assert.Contains("http_server_request_duration", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_TagCombinationsBeyondTheLimit_FoldIntoTheOverflowSeries()
    {
        using var meter = new Meter(SafeGramMetrics.MeterName);
        var counter = meter.CreateCounter<long>("safegram.test.cardinality");
        for (var i = 0; i < TelemetryExtensions.MetricCardinalityLimit + 50; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("n", i));
        }

        var series = Series(await ScrapeUntilAsync(text => Series(text).Any(IsOverflow)));

        Assert.Contains(series, IsOverflow);
        Assert.InRange(series.Count, TelemetryExtensions.MetricCardinalityLimit / 2, TelemetryExtensions.MetricCardinalityLimit + 1);

        static List<string> Series(string text) =>
            [.. text.Split('\n').Where(line => line.StartsWith("safegram_test_cardinality_total{", StringComparison.Ordinal))];

        static bool IsOverflow(string line) => line.Contains("otel_metric_overflow=\"true\"", StringComparison.Ordinal);
    }

    [Fact]
    public void DataProtection_KeyRingIsNotLoadedAtStart()
    {
        var hosted = fixture.Gateway.Services.GetServices<IHostedService>().Select(service => service.GetType().Name).ToList();

        Assert.NotEmpty(hosted);
        Assert.DoesNotContain(AuthenticationExtensions.DataProtectionHostedService, hosted);
    }

    [Fact]
    public async Task OpenApi_DescribesEveryContractPath()
    {
        var (status, document) = await _api.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, status);
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToHashSet();
        string[] contract =
        [
            "/api/auth/register", "/api/auth/login", "/api/users/me", "/api/users/search",
            "/api/chats", "/api/chats/{chatId}", "/api/chats/{chatId}/members", "/api/chats/{chatId}/members/{userId}",
            "/api/chats/{chatId}/messages", "/api/chats/{chatId}/read", "/api/messages",
            "/api/messages/{messageId}/react", "/api/messages/{messageId}/edit", "/api/messages/{messageId}/delete", "/ws",
        ];
        Assert.All(contract, path => Assert.Contains(path, paths));
        var send = document.GetProperty("paths").GetProperty("/api/chats/{chatId}/messages").GetProperty("post");
        Assert.True(send.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out _));
        Assert.True(send.GetProperty("responses").GetProperty("200").GetProperty("content").TryGetProperty("application/json", out _));
    }

    [Fact]
    public async Task OpenApi_DescribesTheHistoryQueryAsWholeNumbers()
    {
        var (_, document) = await _api.GetAsync("/openapi/v1.json");

        var history = document.GetProperty("paths").GetProperty("/api/chats/{chatId}/messages").GetProperty("get");
        var schemas = history.GetProperty("parameters").EnumerateArray()
            .ToDictionary(p => p.GetProperty("name").GetString()!, p => p.GetProperty("schema"));
        Assert.All(["limit", "afterSeq", "sinceVersion"], name => Assert.Equal("integer", schemas[name].GetProperty("type").GetString()));
        Assert.Equal(1, schemas["limit"].GetProperty("minimum").GetInt32());
        Assert.Equal(ChatLimits.MaxPageSize, schemas["limit"].GetProperty("maximum").GetInt32());
        Assert.Equal(0, schemas["afterSeq"].GetProperty("minimum").GetInt64());
    }

    /// <summary>The Prometheus text once it shows the duration of the <c>me</c> requests made before each scrape.</summary>
    private Task<string> ScrapeWhileRequestingAsync(string token) => ScrapeUntilAsync(
        text => text.Contains("http_server_request_duration", StringComparison.Ordinal),
        record: async () => Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/users/me", token)).Status));

    /// <summary>
    /// The Prometheus text once it shows what was just recorded (by <paramref name="record"/>, when given, before each
    /// scrape): a request's duration is recorded after its response is sent, and the exporter may answer from a
    /// scrape cached a moment before.
    /// </summary>
    private async Task<string> ScrapeUntilAsync(Func<string, bool> shows, Func<Task>? record = null)
    {
        for (var attempt = 1; ; attempt++)
        {
            if (record is not null)
            {
                await record();
            }

            var text = await _api.Http.GetStringAsync("/metrics");
            if (shows(text) || attempt == 20)
            {
                return text;
            }

            await Task.Delay(250);
        }
    }
}
