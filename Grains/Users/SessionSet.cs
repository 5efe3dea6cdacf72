using System.Runtime.InteropServices;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Users;

/// <summary>
/// The gateways holding sockets of one user, each with the time it last renewed. Lives in activation memory:
/// gateways renew every <see cref="SessionTimings.Renewal"/>, which rebuilds it after a silo failure.
/// </summary>
/// <remarks>
/// Nearly every user is held by a single gateway, and a silo holds one set per connected user: that gateway lives in
/// two fields, and a dictionary exists only while further gateways hold the same user.
/// </remarks>
internal sealed class SessionSet(TimeProvider time)
{
    private IGatewayObserver? _inline;
    private long _inlineRenewedAt;
    private Dictionary<IGatewayObserver, long>? _others;

    public int Count => _inline is null ? 0 : 1 + (_others?.Count ?? 0);

    /// <summary>When the least recently renewed session expires; <c>null</c> when there is none.</summary>
    public DateTimeOffset? EarliestExpiry
    {
        get
        {
            if (_inline is null)
            {
                return null;
            }

            var oldest = _inlineRenewedAt;
            if (_others is not null)
            {
                foreach (var renewedAt in _others.Values)
                {
                    oldest = Math.Min(oldest, renewedAt);
                }
            }

            return new DateTimeOffset(oldest, TimeSpan.Zero) + SessionTimings.Expiry;
        }
    }

    /// <summary>Adds or renews; <c>true</c> when the observer is new.</summary>
    public bool Renew(IGatewayObserver session)
    {
        var now = time.GetUtcNow().UtcTicks;
        if (_inline is null || _inline.Equals(session))
        {
            var isNew = _inline is null;
            _inline = session;
            _inlineRenewedAt = now;
            return isNew;
        }

        _others ??= [];
        CollectionsMarshal.GetValueRefOrAddDefault(_others, session, out var known) = now;
        return !known;
    }

    public bool Remove(IGatewayObserver session)
    {
        if (_inline is null)
        {
            return false;
        }

        if (!_inline.Equals(session))
        {
            return RemoveOther(session);
        }

        PromoteOther();
        return true;
    }

    /// <summary>Drops sessions whose gateway stopped renewing (e.g. it crashed); <c>true</c> when any went.</summary>
    public bool RemoveExpired()
    {
        var cutoff = (time.GetUtcNow() - SessionTimings.Expiry).UtcTicks;
        var removed = false;
        if (_others is { } others)
        {
            // A dictionary may lose entries while it is enumerated; only additions invalidate the enumeration.
            foreach (var (session, renewedAt) in others)
            {
                if (renewedAt < cutoff)
                {
                    others.Remove(session);
                    removed = true;
                }
            }

            if (others.Count == 0)
            {
                _others = null;
            }
        }

        if (_inline is not null && _inlineRenewedAt < cutoff)
        {
            PromoteOther();
            removed = true;
        }

        return removed;
    }

    /// <summary>Enumerates without allocating: deliveries walk the set for every event.</summary>
    public Enumerator GetEnumerator() => new(_inline, _others);

    private bool RemoveOther(IGatewayObserver session)
    {
        if (_others is null || !_others.Remove(session))
        {
            return false;
        }

        if (_others.Count == 0)
        {
            _others = null;
        }

        return true;
    }

    /// <summary>The inline session is gone: another one, if any, takes its place.</summary>
    private void PromoteOther()
    {
        _inline = null;
        if (_others is null)
        {
            return;
        }

        var (next, renewedAt) = _others.First();
        _inline = next;
        _inlineRenewedAt = renewedAt;
        RemoveOther(next);
    }

    public struct Enumerator
    {
        private readonly IGatewayObserver? _inline;
        private readonly bool _hasOthers;
        private Dictionary<IGatewayObserver, long>.KeyCollection.Enumerator _others;
        private bool _inlineVisited;

        internal Enumerator(IGatewayObserver? inline, Dictionary<IGatewayObserver, long>? others)
        {
            _inline = inline;
            _hasOthers = others is not null;
            _others = others is null ? default : others.Keys.GetEnumerator();
            Current = null!;
        }

        public IGatewayObserver Current { get; private set; }

        public bool MoveNext()
        {
            if (!_inlineVisited)
            {
                _inlineVisited = true;
                Current = _inline!;
                return _inline is not null;
            }

            if (!_hasOthers || !_others.MoveNext())
            {
                return false;
            }

            Current = _others.Current;
            return true;
        }
    }
}
