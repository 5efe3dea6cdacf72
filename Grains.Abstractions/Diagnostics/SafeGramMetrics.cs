using System.Diagnostics.Metrics;

namespace SafeGram.Grains.Abstractions.Diagnostics;

/// <summary>SafeGram's own instruments (meter <c>SafeGram</c>), recorded by silos and gateways alike.</summary>
public static class SafeGramMetrics
{
    public const string MeterName = "SafeGram";

    /// <summary>
    /// Upper bounds for durations in milliseconds: fine up to the tens of milliseconds a send's tail lives in, so that
    /// a p99 read from the buckets is not a guess between 10 and 25 ms; coarse beyond.
    /// </summary>
    public static readonly IReadOnlyList<double> DurationBoundsMs =
        [0.25, 0.5, 1, 2, 3, 5, 7.5, 10, 15, 20, 30, 50, 75, 100, 250, 500, 1000, 2500, 5000, 10000];

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Messages committed to the log (silo).</summary>
    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("safegram.messages.sent", "{message}");

    /// <summary>From the grain receiving a send to its row being committed (silo).</summary>
    public static readonly Histogram<double> SendDuration = Duration("safegram.message.send.duration");

    /// <summary>A send's row waiting for one of the silo's group-commit writers to take it (silo).</summary>
    public static readonly Histogram<double> InsertQueueDuration = Duration("safegram.message.insert.queue.duration");

    /// <summary>The group commit that holds a send's row, its round trip to PostgreSQL included; recorded once per row (silo).</summary>
    public static readonly Histogram<double> InsertCommitDuration = Duration("safegram.message.insert.commit.duration");

    /// <summary>Rows written by one group commit (silo).</summary>
    public static readonly Histogram<int> InsertBatchSize = Meter.CreateHistogram<int>(
        "safegram.message.insert.batch.size", "{row}", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 2, 4, 8, 16, 32, 64, 128] });

    /// <summary>Event frames queued to sockets (gateway).</summary>
    public static readonly Counter<long> EventsDelivered = Meter.CreateCounter<long>("safegram.events.delivered", "{frame}");

    /// <summary>Open WebSockets (gateway).</summary>
    public static readonly UpDownCounter<long> SocketsOpen = Meter.CreateUpDownCounter<long>("safegram.sockets.open", "{socket}");

    /// <summary>Sockets closed because they could not keep up or flooded (gateway).</summary>
    public static readonly Counter<long> SocketsCutOff = Meter.CreateCounter<long>("safegram.sockets.cut_off", "{socket}");

    /// <summary>Gateway observers dropped after a failed push (silo).</summary>
    public static readonly Counter<long> ObserverFailures = Meter.CreateCounter<long>("safegram.observer.failures", "{failure}");

    private static Histogram<double> Duration(string name) =>
        Meter.CreateHistogram<double>(name, "ms", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DurationBoundsMs });
}
