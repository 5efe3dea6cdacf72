namespace SafeGram.Grains.Realtime;

/// <summary>How grains read a failed push to a gateway.</summary>
internal static class GatewayFailures
{
    /// <summary>
    /// A gateway that has gone away fails a push at once (its client connection is closed or unknown). A push that
    /// timed out met a gateway too busy to answer in time, such as one that just started and is taking a thousand
    /// sockets at once: dropping it would silence all of its users until their next renewal, so it keeps its routes.
    /// A gateway that died without a trace stops renewing and expires with its subscriptions.
    /// </summary>
    public static bool MeansGone(Exception failure) => failure is not TimeoutException;
}
