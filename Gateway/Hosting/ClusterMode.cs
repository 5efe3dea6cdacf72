namespace SafeGram.Gateway.Hosting;

/// <summary>How the gateway reaches grains. Key <c>Cluster:Mode</c>; chosen from the configuration when absent.</summary>
public enum ClusterMode
{
    /// <summary>A silo in this process: localhost clustering, in-memory storage, nothing persisted.</summary>
    Embedded,

    /// <summary>An Orleans client of a silo cluster found through Redis.</summary>
    Client,
}
