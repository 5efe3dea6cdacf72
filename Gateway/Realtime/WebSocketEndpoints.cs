using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Hosting;
using SafeGram.Gateway.Realtime.Upgrade;

namespace SafeGram.Gateway.Realtime;

internal static class WebSocketEndpoints
{
    public static readonly PathString SocketPath = "/ws";

    private const string SupportedVersion = "13";

    public static IEndpointRouteBuilder MapWebSocketEndpoints(this IEndpointRouteBuilder routes)
    {
        // Authenticated by the handler itself, before the upgrade (see SocketAuthenticator): a bad token is an HTTP 401,
        // never an accepted socket.
        routes.MapGet(SocketPath, ConnectAsync).WithTags("Realtime").AllowAnonymous();
        return routes;
    }

    public static IServiceCollection AddSafeGramRealtime(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RealtimeOptions>(configuration.GetSection(RealtimeOptions.SectionName));
        services.AddSingleton<EventFrames>();
        services.AddSingleton<SessionRegistry>();
        services.AddSingleton<ClientFrameHandler>();
        services.AddSingleton<SocketAuthenticator>();
        services.AddSingleton<SocketHost>();
        services.AddHostedService<SessionRenewalService>();
        return services;
    }

    private static async Task ConnectAsync(HttpContext http, SocketAuthenticator authenticator, OriginPolicy origins, SocketHost host)
    {
        DeferredUpgradeFailure.ThrowIfAttached(http);
        if (await authenticator.AuthenticateAsync(http.Request) is not { } userId)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.Unauthorized().ExecuteAsync(http);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            // RFC 6455 §4.2.2: a refused handshake names the protocol version this server speaks.
            http.Response.Headers.SecWebSocketVersion = SupportedVersion;
            var version = http.Request.Headers.SecWebSocketVersion;
            await ApiErrors.BadRequest(version.Count > 0 && version != SupportedVersion
                ? $"This server speaks WebSocket version {SupportedVersion} only."
                : "GET /ws needs a WebSocket upgrade.").ExecuteAsync(http);
            return;
        }

        // Browsers always send one Origin; other clients (desktop, tools) need not send any. Two are never honest.
        if (http.Request.Headers.Origin is { Count: > 0 } sent && !(sent is [{ } origin] && origins.IsAllowed(origin)))
        {
            await ApiErrors.Forbidden("This origin may not open sockets.").ExecuteAsync(http);
            return;
        }

        await host.RunAsync(
            userId,
            settings => http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.PingInterval,
                KeepAliveTimeout = settings.PingInterval,
            }));
    }
}
