using System.Security.Cryptography;

namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>
/// A direct chat's id is derived from its two users, so both sides — on any gateway, at the same
/// moment — reach the same grain and there is only ever one dm per pair.
/// </summary>
public static class DmKeys
{
    public static Guid For(Guid a, Guid b)
    {
        var (low, high) = a.CompareTo(b) <= 0 ? (a, b) : (b, a);
        Span<byte> input = stackalloc byte[35];
        "dm:"u8.CopyTo(input);
        low.TryWriteBytes(input[3..]);
        high.TryWriteBytes(input[19..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(input, hash);
        hash[6] = (byte)((hash[6] & 0x0F) | 0x80);   // version 8: application-defined
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);   // RFC 4122 variant
        return new Guid(hash[..16], bigEndian: true);
    }
}
