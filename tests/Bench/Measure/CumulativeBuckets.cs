using System.Globalization;

namespace SafeGram.Bench.Measure;

/// <summary>
/// A Prometheus histogram's cumulative bucket counts (upper bound → count of samples at or below it), summed over the
/// series that match; two readings subtract into the samples recorded between them.
/// </summary>
internal sealed class CumulativeBuckets
{
    private readonly SortedDictionary<double, double> _counts = [];

    public double Count => _counts.Count == 0 ? 0 : _counts.Values.Max();

    /// <summary>Reads <c>{name}_bucket</c> lines whose label set contains every one of <paramref name="labels"/> (e.g. <c>http_request_method="POST"</c>).</summary>
    public static CumulativeBuckets Parse(string prometheusText, string name, params string[] labels)
    {
        var buckets = new CumulativeBuckets();
        var prefix = name + "_bucket{";
        foreach (var line in prometheusText.AsSpan().EnumerateLines())
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal) || !HasAll(line, labels))
            {
                continue;
            }

            // The label itself, not another whose name ends in "le".
            var at = line.IndexOf(",le=\"", StringComparison.Ordinal);
            at = at >= 0 ? at : line.IndexOf("{le=\"", StringComparison.Ordinal);
            if (at < 0)
            {
                continue;
            }

            var le = line[(at + 5)..];
            le = le[..le.IndexOf('"')];
            var bound = le.SequenceEqual("+Inf") ? double.PositiveInfinity : double.Parse(le, CultureInfo.InvariantCulture);
            buckets._counts[bound] = buckets._counts.GetValueOrDefault(bound) + MetricsScrape.SampleValue(line);
        }

        return buckets;
    }

    public static CumulativeBuckets operator +(CumulativeBuckets a, CumulativeBuckets b) => Combine(a, b, 1);

    public static CumulativeBuckets operator -(CumulativeBuckets a, CumulativeBuckets b) => Combine(a, b, -1);

    /// <summary>
    /// The <paramref name="p"/>-th percentile (0-100), interpolated linearly inside its bucket as Prometheus'
    /// <c>histogram_quantile</c> does: only as fine as the buckets. In the open last bucket, its lower bound. NaN without samples.
    /// </summary>
    public double Percentile(double p)
    {
        if (Count <= 0)
        {
            return double.NaN;
        }

        var rank = p / 100 * Count;
        var (lower, below) = (0.0, 0.0);
        foreach (var (upper, cumulative) in _counts)
        {
            if (cumulative >= rank)
            {
                return double.IsPositiveInfinity(upper) || cumulative == below
                    ? lower
                    : lower + ((upper - lower) * (rank - below) / (cumulative - below));
            }

            (lower, below) = (upper, cumulative);
        }

        return lower;
    }

    private static CumulativeBuckets Combine(CumulativeBuckets a, CumulativeBuckets b, int sign)
    {
        var result = new CumulativeBuckets();
        foreach (var bound in a._counts.Keys.Union(b._counts.Keys))
        {
            result._counts[bound] = a._counts.GetValueOrDefault(bound) + (sign * b._counts.GetValueOrDefault(bound));
        }

        return result;
    }

    private static bool HasAll(ReadOnlySpan<char> line, string[] labels)
    {
        foreach (var label in labels)
        {
            if (!line.Contains(label, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
