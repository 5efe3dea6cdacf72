using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Hosting;

namespace SafeGram.Gateway.Realtime;

internal static class WebSocketEndpoints
{
    public static readonly PathString SocketPath = "/ws";

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
        if (await authenticator.AuthenticateAsync(http.Request) is not { } userId)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiErrors.Unauthorized().ExecuteAsync(http);
            return;
        }

        if (!http.WebSockets.IsWebSocketRequest)
        {
            await ApiErrors.BadRequest("GET /ws needs a WebSocket upgrade.").ExecuteAsync(http);
            return;
        }

        // Browsers always send Origin; other clients (desktop, tools) need not.
        if (http.Request.Headers.Origin is [{ } origin] && !origins.IsAllowed(origin))
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
