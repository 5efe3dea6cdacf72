using System.Net;
using System.Net.Http.Json;
using SafeGram.Gateway.Tests.Cluster;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>
/// A gateway behind a proxy (as the compose file and the Kubernetes ConfigMap run it) throttles failed sign-ins per
/// client address from X-Forwarded-For: one client's failures do not lock out everyone behind the same proxy.
/// </summary>
public sealed class ForwardedClientAddressTests
{
    /// <summary>The silo's default per-address limit.</summary>
    private const int FailuresPerAddress = 20;

    [Fact]
    public async Task BehindATrustedProxy_FailedSignInsAreCountedPerForwardedClient()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var silo = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster, new Dictionary<string, string?>
        {
            ["ForwardedHeaders:Enabled"] = "true",
            ["ForwardedHeaders:KnownNetworks:0"] = "127.0.0.1/32",
        });
        using var api = ClusterProcesses.Api(gateway, TimeSpan.FromSeconds(30));
        var user = await api.RegisterAsync();

        for (var i = 0; i < FailuresPerAddress; i++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, await LoginAsync(api, "nobody" + i, "wrong password", from: "203.0.113.9"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, await LoginAsync(api, user.Username, user.Password, from: "203.0.113.9"));
        Assert.Equal(HttpStatusCode.OK, await LoginAsync(api, user.Username, user.Password, from: "198.51.100.7"));
    }

    private static async Task<HttpStatusCode> LoginAsync(ApiClient api, string username, string password, string from)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/auth/login") { Content = JsonContent.Create(new { username, password }) };
        request.Headers.Add("X-Forwarded-For", from);
        using var response = await api.Http.SendAsync(request);
        return response.StatusCode;
    }
}
