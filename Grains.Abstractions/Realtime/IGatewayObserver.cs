using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Realtime;

/// <summary>
/// One gateway process, as grains see it: it holds sockets for many users and fans each event out to
/// the sockets of the users named. A chat sends one call per gateway, not one per member. Calls time out
/// quickly; a gateway whose call fails is dropped at once, and gateways re-subscribe their users on a
/// timer shorter than the subscription expiry.
/// </summary>
[Alias("SafeGram.Grains.Abstractions.Realtime.IGatewayObserver")]
public interface IGatewayObserver : IGrainObserver
{
    [Alias("DeliverAsync")]
    [ResponseTimeout("00:00:05")]
    Task DeliverAsync(ChatEvent chatEvent, ImmutableArray<Guid> userIds);
}

/// <summary>The subscription lifetime both sides agree on.</summary>
public static class SessionTimings
{
    /// <summary>A subscription not renewed for this long is dropped (and the user may go offline).</summary>
    public static readonly TimeSpan Expiry = TimeSpan.FromSeconds(60);

    /// <summary>Gateways renew every live subscription this often.</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromSeconds(15);
}
