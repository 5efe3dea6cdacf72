using System.Diagnostics.Metrics;

namespace SafeGram.Grains.Abstractions.Diagnostics;

/// <summary>SafeGram's own instruments (meter <c>SafeGram</c>), recorded by silos and gateways alike.</summary>
public static class SafeGramMetrics
{
    public const string MeterName = "SafeGram";

    private static readonly Meter Meter = new(MeterName);

    /// <summary>Messages committed to the log (silo).</summary>
    public static readonly Counter<long> MessagesSent = Meter.CreateCounter<long>("safegram.messages.sent", "{message}");

    /// <summary>From the grain receiving a send to its row being committed (silo).</summary>
    public static readonly Histogram<double> SendDuration = Meter.CreateHistogram<double>(
        "safegram.message.send.duration", "ms", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.5, 1, 2, 5, 10, 25, 50, 100, 250, 1000] });

    /// <summary>Event frames queued to sockets (gateway).</summary>
    public static readonly Counter<long> EventsDelivered = Meter.CreateCounter<long>("safegram.events.delivered", "{frame}");

    /// <summary>Open WebSockets (gateway).</summary>
    public static readonly UpDownCounter<long> SocketsOpen = Meter.CreateUpDownCounter<long>("safegram.sockets.open", "{socket}");

    /// <summary>Sockets closed because they could not keep up or flooded (gateway).</summary>
    public static readonly Counter<long> SocketsCutOff = Meter.CreateCounter<long>("safegram.sockets.cut_off", "{socket}");

    /// <summary>Gateway observers dropped after a failed push (silo).</summary>
    public static readonly Counter<long> ObserverFailures = Meter.CreateCounter<long>("safegram.observer.failures", "{failure}");
}
