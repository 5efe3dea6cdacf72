using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>
/// The real gateway (Program) in the test process, configured through its own settings; <paramref name="services"/>
/// may add to it what a test observes it by (grain call filters of its embedded silo).
/// </summary>
public sealed class GatewayApplication(
    IReadOnlyDictionary<string, string?> settings, string environment = "Production", Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment(environment);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.SetMinimumLevel(LogLevel.Warning));
        if (services is not null)
        {
            builder.ConfigureTestServices(services);
        }
    }

    public ApiClient CreateApiClient() => new(CreateClient());

    /// <summary>
    /// A socket on this gateway's /ws (through the test server): the token in the query like browsers send it, or in an
    /// <c>Authorization: Bearer</c> header like other clients may.
    /// </summary>
    public async Task<SocketClient> ConnectSocketAsync(string token, string? origin = null, bool tokenInHeader = false)
    {
        var client = Server.CreateWebSocketClient();
        client.ConfigureRequest = request =>
        {
            if (origin is not null)
            {
                request.Headers.Origin = origin;
            }

            if (tokenInHeader)
            {
                request.Headers.Authorization = "Bearer " + token;
            }
        };

        var target = tokenInHeader ? "ws" : "ws?token=" + Uri.EscapeDataString(token);
        var socket = await client.ConnectAsync(new Uri(Server.BaseAddress, target), CancellationToken.None);
        return new SocketClient(socket);
    }
}
