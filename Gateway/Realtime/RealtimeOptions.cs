namespace SafeGram.Gateway.Realtime;

/// <summary>Per-socket limits. Section <c>Realtime</c>.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>Frames waiting for a slow client; one more and the socket is closed (the client catches up on reconnect).</summary>
    public int OutboundQueueFrames { get; set; } = 256;

    public int MaxInboundFrameBytes { get; set; } = 16 * 1024;

    /// <summary>Inbound frames a socket may send per second on average, and in a burst, before it is closed with 1008.</summary>
    public double InboundFramesPerSecond { get; set; } = 10;

    public int InboundFrameBurst { get; set; } = 30;

    public TimeSpan PingInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a socket being closed may take to finish the close handshake before it is aborted.</summary>
    public TimeSpan CloseGrace { get; set; } = TimeSpan.FromSeconds(5);
}
