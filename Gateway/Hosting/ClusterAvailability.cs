namespace SafeGram.Gateway.Hosting;

/// <summary>
/// Whether grain calls may be made, and whether the Orleans client holds a connection to any silo right now.
/// </summary>
internal sealed class ClusterAvailability : IClusterConnectionStatusObserver
{
    /// <summary>Only a cluster client reports its connections; an embedded silo lives in this process and never is.</summary>
    private const int NotReported = -1;

    private volatile bool _started;
    private volatile int _connectedSilos = NotReported;
    private TaskCompletionSource _siloConnectionLost = NewSignal();

    public ClusterAvailability(IHostApplicationLifetime lifetime) =>
        lifetime.ApplicationStarted.Register(() => _started = true);

    /// <summary>
    /// Once the host has started (the Orleans client's start completes only after it connects), calls are always let
    /// through, even with no silo connected: the client connects only when it sends, so refusing calls would keep it
    /// from ever finding the silos still alive. Where none is, the calls fail at once (a 503 all the same).
    /// </summary>
    public bool AcceptsCalls => _started;

    public bool IsConnected => _started && _connectedSilos != 0;

    /// <summary>Completes the next time a connection to a silo closes (the silo left the cluster or died).</summary>
    public Task SiloConnectionLost => Volatile.Read(ref _siloConnectionLost).Task;

    public void NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        _connectedSilos = currentNumberOfGateways;
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            Interlocked.Exchange(ref _siloConnectionLost, NewSignal()).TrySetResult();
        }
    }

    public void NotifyClusterConnectionLost() => _connectedSilos = 0;

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
