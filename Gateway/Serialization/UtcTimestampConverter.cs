using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace SafeGram.Gateway.Serialization;

/// <summary>Timestamps on the wire are ISO-8601 UTC with milliseconds and <c>Z</c>, as the clients parse them.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    // The round-trip form of a UTC time, yyyy-MM-ddTHH:mm:ss.fffffffZ, has a fast formatter of its own; a custom
    // pattern is interpreted on every call. Cutting it after the milliseconds truncates as "fff" does.
    private const int RoundTripLength = 28;
    private const int MillisecondsEnd = 23;

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[RoundTripLength];
        value.UtcDateTime.TryFormat(buffer, out _, "O", CultureInfo.InvariantCulture);
        buffer[MillisecondsEnd] = (byte)'Z';
        writer.WriteStringValue(buffer[..(MillisecondsEnd + 1)]);
    }
}
