namespace SafeGram.Gateway.Hosting;

/// <summary>
/// Whether grain calls can currently reach the cluster. Available once the host has started
/// (the Orleans client start completes only after it connects), unavailable while no gateway is known.
/// </summary>
internal sealed class ClusterAvailability : IClusterConnectionStatusObserver
{
    private volatile bool _started;
    private volatile bool _connected = true;

    public ClusterAvailability(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStarted.Register(() => _started = true);

    public bool IsAvailable => _started && _connected;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered) =>
        _connected = currentNumberOfGateways > 0;

    public void NotifyClusterConnectionLost() => _connected = false;
}
