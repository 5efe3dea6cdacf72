namespace SafeGram.Grains.Abstractions.Realtime;

/// <summary>
/// One gateway's connection to one user: it fans each event out to that user's sockets on that gateway.
/// Calls time out quickly; a failing observer is dropped by the user grain at once, and the gateway
/// re-subscribes live connections on a timer shorter than the subscription expiry.
/// </summary>
[Alias("SafeGram.Grains.Abstractions.Realtime.IUserSessionObserver")]
public interface IUserSessionObserver : IGrainObserver
{
    [Alias("OnEventAsync")]
    [ResponseTimeout("00:00:05")]
    Task OnEventAsync(ChatEvent chatEvent);
}

/// <summary>The subscription lifetime both sides agree on.</summary>
public static class SessionTimings
{
    /// <summary>A subscription not renewed for this long is dropped (and the user may go offline).</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    /// <summary>Gateways renew every live subscription this often.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);
}
