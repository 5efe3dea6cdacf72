using System.Buffers.Text;
using System.Text;

namespace SafeGram.Bench.Sockets;

/// <summary>
/// Cheap looks into server frames without parsing them whole: the load generator shares two cores with the servers, so
/// it reads only what it needs (<c>{"type":"message",…,"clientMessageId":"d3fk9q-123"}</c>).
/// </summary>
internal static class FrameScanner
{
    /// <summary>
    /// A clientMessageId prefix unique to this run: sends are idempotent per (chat, sender, clientMessageId), so a later
    /// run reusing an id would get the old message back and nothing would be delivered.
    /// </summary>
    public static byte[] NewPrefix(char scenario) =>
        Encoding.ASCII.GetBytes($"{scenario}{Convert.ToHexString(BitConverter.GetBytes(Random.Shared.Next())).ToLowerInvariant()}-");

    public static bool IsMessage(ReadOnlySpan<byte> frame) => frame.StartsWith("{\"type\":\"message\","u8);

    /// <summary>The number after <paramref name="prefix"/> in the frame's clientMessageId (<c>d3fk9q-42</c> → 42).</summary>
    public static bool TryGetSequence(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> prefix, out long sequence)
    {
        sequence = 0;
        var marker = "\"clientMessageId\":\""u8;
        var at = frame.LastIndexOf(marker);
        if (at < 0)
        {
            return false;
        }

        var value = frame[(at + marker.Length)..];
        return value.StartsWith(prefix) && Utf8Parser.TryParse(value[prefix.Length..], out sequence, out _);
    }
}
