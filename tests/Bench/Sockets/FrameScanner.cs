using System.Buffers.Text;

namespace SafeGram.Bench.Sockets;

/// <summary>
/// Cheap looks into server frames without parsing them whole: the load generator shares two cores with the servers, so
/// it reads only what it needs (<c>{"type":"message",…,"clientMessageId":"x-123"}</c>).
/// </summary>
internal static class FrameScanner
{
    public static bool IsMessage(ReadOnlySpan<byte> frame) => frame.StartsWith("{\"type\":\"message\","u8);

    /// <summary>The number after the one-letter-and-dash prefix of a benchmark clientMessageId (<c>d-42</c> → 42).</summary>
    public static bool TryGetSequence(ReadOnlySpan<byte> frame, byte prefix, out long sequence)
    {
        sequence = 0;
        var marker = "\"clientMessageId\":\""u8;
        var at = frame.LastIndexOf(marker);
        if (at < 0)
        {
            return false;
        }

        var value = frame[(at + marker.Length)..];
        return value.Length > 2 && value[0] == prefix && value[1] == (byte)'-'
            && Utf8Parser.TryParse(value[2..], out sequence, out _);
    }
}
