using System.Runtime.ExceptionServices;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;

namespace SafeGram.Gateway.Realtime.Upgrade;

/// <summary>
/// A handshake the connection middleware could not decide (the cluster did not answer whether the account exists)
/// goes on to the endpoint with that failure attached, so the endpoint answers it at once (503) instead of asking the
/// cluster, and waiting up to a call timeout, a second time.
/// </summary>
internal static class DeferredUpgradeFailure
{
    private static readonly object Key = new();

    public static void Attach(ConnectionContext connection, Exception failure) =>
        connection.Items[Key] = ExceptionDispatchInfo.Capture(failure);

    /// <summary>Throws the failure attached to the request's connection, once; returns when there is none.</summary>
    public static void ThrowIfAttached(HttpContext http)
    {
        if (http.Features.Get<IConnectionItemsFeature>()?.Items is { } items
            && items.TryGetValue(Key, out var attached)
            && items.Remove(Key)
            && attached is ExceptionDispatchInfo failure)
        {
            failure.Throw();
        }
    }
}
