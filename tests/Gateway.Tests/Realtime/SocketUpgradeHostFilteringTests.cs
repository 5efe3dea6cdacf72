using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>Where an operator narrowed <c>AllowedHosts</c>, handshakes take Kestrel's path, which applies it.</summary>
public sealed class SocketUpgradeHostFilteringTests(NarrowHostsGatewayFixture fixture) : IClassFixture<NarrowHostsGatewayFixture>
{
    [Fact]
    public async Task Handshakes_GoThroughHostFiltering()
    {
        var api = fixture.CreateApiClient();
        api.Http.DefaultRequestHeaders.Host = NarrowHostsGatewayFixture.AllowedHost;
        var alice = await api.RegisterAsync();

        var allowed = await SocketUpgradeTests.ExchangeAsync(
            fixture.BaseAddress, SocketUpgradeTests.Handshake(alice.Token, host: NarrowHostsGatewayFixture.AllowedHost));
        var other = await SocketUpgradeTests.ExchangeAsync(fixture.BaseAddress, SocketUpgradeTests.Handshake(alice.Token));

        Assert.StartsWith("HTTP/1.1 101", allowed);
        Assert.Contains("Server: Kestrel", allowed);
        Assert.StartsWith("HTTP/1.1 400", other);
    }
}
