using System.Net;

namespace SafeGram.Bench.Measure;

/// <summary>The benchmark only ever sends traffic to this machine: every target must be a loopback address.</summary>
internal static class Loopback
{
    public static Uri Require(string url)
    {
        var uri = new Uri(url);
        if (!IPAddress.TryParse(uri.Host.Trim('[', ']'), out var address) || !IPAddress.IsLoopback(address))
        {
            throw new ArgumentException($"{url}: the benchmark only targets loopback addresses (127.0.0.0/8, [::1]).");
        }

        return uri;
    }

    public static IPAddress RequireSource(string address)
    {
        var parsed = IPAddress.Parse(address);
        return IPAddress.IsLoopback(parsed) ? parsed : throw new ArgumentException($"{address} is not a loopback address.");
    }
}
