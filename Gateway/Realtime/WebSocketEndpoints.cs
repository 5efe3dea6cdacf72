using System.Net.WebSockets;
using Microsoft.Extensions.Options;
using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Hosting;
using SafeGram.Grains.Abstractions.Diagnostics;

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
        services.AddHostedService<SessionRenewalService>();
        return services;
    }

    private static async Task ConnectAsync(
        HttpContext http, SocketAuthenticator authenticator, OriginPolicy origins, SessionRegistry registry,
        ClientFrameHandler frames, IOptions<RealtimeOptions> options, TimeProvider time)
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

        // Registered before the upgrade is accepted: once a client sees its socket open, every event reaches it.
        var settings = options.Value;
        var session = new SocketSession(settings, time);
        await registry.AttachAsync(userId, session);
        WebSocket? socket = null;
        try
        {
            socket = await http.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                KeepAliveInterval = settings.PingInterval,
                KeepAliveTimeout = settings.PingInterval,
            });
            SafeGramMetrics.SocketsOpen.Add(1);
            try
            {
                await session.RunAsync(socket, payload => frames.HandleAsync(userId, session, payload), http.RequestAborted);
            }
            finally
            {
                SafeGramMetrics.SocketsOpen.Add(-1);
            }
        }
        finally
        {
            // Disposed last: the client reads our close frame while this gateway unsubscribes.
            await registry.DetachAsync(userId, session);
            socket?.Dispose();
        }
    }
}
