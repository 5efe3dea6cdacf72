using System.Text.Json;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// The fields SafeGram reads from a row of the Redis membership table that Orleans.Clustering.Redis keeps (one hash
/// per cluster, a JSON document per silo beside a <c>Version</c> field), without that package's own reader, which
/// deserializes whole rows with Newtonsoft.Json.
/// </summary>
public sealed record RedisMembershipRow(SiloAddress Silo, SiloStatus Status, int ProxyPort)
{
    /// <summary>The hash field that holds the table's version, not a silo.</summary>
    public const string VersionField = "Version";

    /// <summary>The row, or <c>null</c> with the reason when it is not in the form Orleans.Clustering.Redis writes.</summary>
    public static RedisMembershipRow? TryParse(ReadOnlyMemory<byte> row, out Exception? unreadable)
    {
        unreadable = null;
        try
        {
            return Parse(row);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
        {
            unreadable = e;
            return null;
        }
    }

    private static RedisMembershipRow Parse(ReadOnlyMemory<byte> row)
    {
        using var json = JsonDocument.Parse(row);
        var entry = json.RootElement;
        var silo = SiloAddress.FromParsableString(entry.GetProperty("SiloAddress").GetProperty("SiloAddress").GetString()
            ?? throw new FormatException("The row's silo address is null."));
        return new RedisMembershipRow(silo, (SiloStatus)entry.GetProperty("Status").GetInt32(), entry.GetProperty("ProxyPort").GetInt32());
    }
}
