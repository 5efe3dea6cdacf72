namespace SafeGram.Gateway.Realtime;

/// <summary>Per-socket limits. Section <c>Realtime</c>.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>Frames waiting for a slow client; one more and the socket is closed (the client catches up on reconnect).</summary>
    /// <remarks>
    /// Above the largest burst a healthy client gets: when a big group's members connect at once (a gateway's sockets
    /// reconnecting elsewhere) each hears a presence change from every other, ~1,000 frames in a second or two. At 256,
    /// clients merely a moment behind were closed, and their reconnects fed the storm. Queued frames are shared
    /// between sockets, so a backlog costs a socket 8 B per frame.
    /// </remarks>
    public int OutboundQueueFrames { get; set; } = 1024;

    public int MaxInboundFrameBytes { get; set; } = 16 * 1024;

    /// <summary>Inbound frames a socket may send per second on average, and in a burst, before it is closed with 1008.</summary>
    public double InboundFramesPerSecond { get; set; } = 10;

    public int InboundFrameBurst { get; set; } = 30;

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a socket being closed may take to finish the close handshake before it is aborted.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(5);
}
