namespace SafeGram.Bench.Measure;

/// <summary>Latency samples in milliseconds, bounded in count; percentiles by sorting at the end.</summary>
internal sealed class Latencies(int capacity = 4_000_000)
{
    private readonly Lock _gate = new();
    private readonly List<double> _samples = [];

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _samples.Count;
            }
        }
    }

    public void Add(double milliseconds)
    {
        lock (_gate)
        {
            if (_samples.Count < capacity)
            {
                _samples.Add(milliseconds);
            }
        }
    }

    /// <summary>p-th percentile (0-100) by nearest rank; NaN without samples.</summary>
    public double Percentile(double p)
    {
        lock (_gate)
        {
            if (_samples.Count == 0)
            {
                return double.NaN;
            }

            _samples.Sort();
            var rank = (int)Math.Ceiling(p / 100 * _samples.Count) - 1;
            return _samples[Math.Clamp(rank, 0, _samples.Count - 1)];
        }
    }

    public Dictionary<string, double> Summary(string prefix) => new(StringComparer.Ordinal)
    {
        [prefix + "p50_ms"] = Math.Round(Percentile(50), 2),
        [prefix + "p90_ms"] = Math.Round(Percentile(90), 2),
        [prefix + "p99_ms"] = Math.Round(Percentile(99), 2),
        [prefix + "max_ms"] = Math.Round(Percentile(100), 2),
        [prefix + "samples"] = Count,
    };
}
