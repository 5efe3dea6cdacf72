using System.Net.WebSockets;
using SafeGram.Gateway.Hosting;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// Renews subscriptions on a timer shorter than their expiry, and soon after a silo is lost; at shutdown tells every
/// socket to go elsewhere (1001).
/// </summary>
internal sealed class SessionRenewalService(SessionRegistry registry, ClusterAvailability cluster, IHostApplicationLifetime lifetime)
    : BackgroundService
{
    /// <summary>
    /// A user grain that lived on a lost silo comes back elsewhere knowing no sessions, so until a renewal its chats
    /// push nothing to the user. Renewing once the cluster has declared the silo dead (~3–4 s, README "Failure
    /// detection") closes that gap in seconds instead of at the next tick, up to 15 s away.
    /// </summary>
    private static readonly TimeSpan AfterSiloLoss = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var closeOnStop = lifetime.ApplicationStopping.Register(() =>
            registry.CloseAll(WebSocketCloseStatus.EndpointUnavailable, "server shutting down; reconnect"));
        using var timer = new PeriodicTimer(SessionTimings.Renewal);
        try
        {
            var tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
            var siloLost = cluster.SiloConnectionLost;
            while (true)
            {
                if (await Task.WhenAny(tick, siloLost) == siloLost)
                {
                    siloLost = cluster.SiloConnectionLost;   // a loss from here on brings another renewal
                    await Task.Delay(AfterSiloLoss, stoppingToken);
                }
                else if (await tick)
                {
                    tick = timer.WaitForNextTickAsync(stoppingToken).AsTask();
                }
                else
                {
                    return;
                }

                await registry.RenewAllAsync();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
