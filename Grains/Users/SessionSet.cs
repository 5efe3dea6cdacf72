using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Users;

/// <summary>
/// The gateways holding sockets of one user, each with the time it last renewed. Lives in activation memory:
/// gateways renew every <see cref="SessionTimings.Renewal"/>, which rebuilds it after a silo failure.
/// </summary>
internal sealed class SessionSet(TimeProvider time)
{
    private readonly Dictionary<IGatewayObserver, DateTimeOffset> _renewedAt = [];

    public int Count => _renewedAt.Count;

    /// <summary>Adds or renews; <c>true</c> when the observer is new.</summary>
    public bool Renew(IGatewayObserver session)
    {
        var isNew = !_renewedAt.ContainsKey(session);
        _renewedAt[session] = time.GetUtcNow();
        return isNew;
    }

    public bool Remove(IGatewayObserver session) => _renewedAt.Remove(session);

    /// <summary>Drops sessions whose gateway stopped renewing (e.g. it crashed).</summary>
    public void RemoveExpired()
    {
        var cutoff = time.GetUtcNow() - SessionTimings.Expiry;
        foreach (var (session, renewedAt) in _renewedAt.ToList())
        {
            if (renewedAt < cutoff)
            {
                _renewedAt.Remove(session);
            }
        }
    }

    public IReadOnlyCollection<IGatewayObserver> Sessions => _renewedAt.Keys;
}
