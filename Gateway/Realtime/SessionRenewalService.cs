using System.Net.WebSockets;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Gateway.Realtime;

/// <summary>Renews subscriptions on a timer shorter than their expiry; at shutdown tells every socket to go elsewhere (1001).</summary>
internal sealed class SessionRenewalService(SessionRegistry registry, IHostApplicationLifetime lifetime) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var closeOnStop = lifetime.ApplicationStopping.Register(() =>
            registry.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect"));
        using var timer = new PeriodicTimer(SessionTimings.Renewal);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await registry.RenewAllAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
