using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Operations;

/// <summary>With <c>Metrics:Port</c> set, metrics are served on that port only; the port clients reach answers 404.</summary>
public sealed class MetricsPortTests(MetricsPortGatewayFixture fixture) : IClassFixture<MetricsPortGatewayFixture>
{
    [Fact]
    public async Task Metrics_AreServedOnTheirPort_AndNotOnTheApiPort()
    {
        using var http = new HttpClient();

        using var onMetricsPort = await http.GetAsync(new Uri(fixture.MetricsAddress, "/metrics"));
        using var onApiPort = await http.GetAsync(new Uri(fixture.BaseAddress, "/metrics"));
        using var withForgedHost = new HttpRequestMessage(HttpMethod.Get, new Uri(fixture.BaseAddress, "/metrics"));
        withForgedHost.Headers.Host = $"127.0.0.1:{fixture.MetricsAddress.Port}";
        using var forged = await http.SendAsync(withForgedHost);

        Assert.Equal(HttpStatusCode.OK, onMetricsPort.StatusCode);
        Assert.Contains("# TYPE", await onMetricsPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, onApiPort.StatusCode);
        Assert.Contains("\"error\":\"not_found\"", await onApiPort.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
    }

    [Fact]
    public async Task Api_StillAnswersOnItsPort()
    {
        using var api = fixture.CreateApiClient();

        var (status, _) = await api.GetAsync("/health/live");
        var user = await api.RegisterAsync();

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.NotEqual(Guid.Empty, user.Id);
    }
}
