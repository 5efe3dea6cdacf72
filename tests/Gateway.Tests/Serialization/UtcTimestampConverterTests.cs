using System.Globalization;
using System.Text.Json;
using SafeGram.Gateway.Serialization;

namespace SafeGram.Gateway.Tests.Serialization;

/// <summary>The clients parse timestamps as UTC with exactly three fractional digits and a <c>Z</c>.</summary>
public sealed class UtcTimestampConverterTests
{
    private static readonly JsonSerializerOptions Options = new() { Converters = { new UtcTimestampConverter() } };

    [Theory]
    [InlineData("2026-12-03T04:05:06.7899999+00:00", "\"2026-12-03T04:05:06.789Z\"")]
    [InlineData("2026-12-03T04:05:06+00:00", "\"2026-12-03T04:05:06.000Z\"")]
    [InlineData("2026-12-03T01:30:00.5+02:00", "\"2026-12-02T23:30:00.500Z\"")]
    [InlineData("0001-01-01T00:00:00+00:00", "\"0001-01-01T00:00:00.000Z\"")]
    [InlineData("9999-12-31T23:59:59.9999999+00:00", "\"9999-12-31T23:59:59.999Z\"")]
    public void Write_IsUtcWithMillisecondsTruncated(string value, string expected)
    {
        var timestamp = DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

        Assert.Equal(expected, JsonSerializer.Serialize(timestamp, Options));
    }

    [Fact]
    public void Read_TakesWhatWriteWrote()
    {
        var timestamp = new DateTimeOffset(2026, 12, 3, 4, 5, 6, 789, TimeSpan.Zero);

        Assert.Equal(timestamp, JsonSerializer.Deserialize<DateTimeOffset>(JsonSerializer.Serialize(timestamp, Options), Options));
    }
}
