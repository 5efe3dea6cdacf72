using System.Diagnostics.Metrics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SafeGram.Grains.Abstractions.Diagnostics;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// Metrics (SafeGram, Orleans, .NET runtime, plus the host's own) for any SafeGram process, and traces (Orleans calls
/// plus the host's own) when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> names a collector. Hosts add the Prometheus endpoint.
/// </summary>
public static class TelemetryExtensions
{
    /// <summary>Distinct tag combinations kept per instrument.</summary>
    public const int MetricCardinalityLimit = 200;

    /// <summary>
    /// Orleans instruments recorded for every message, each with its own tags, not exported: message and header
    /// sizes. Call counts and latency (<c>orleans-app-requests-latency</c>) and the silos' dispatcher counters remain.
    /// </summary>
    private static readonly IReadOnlySet<string> PerMessageInstruments = new HashSet<string>(StringComparer.Ordinal)
    {
        "orleans-messaging-sent-messages-size",
        "orleans-messaging-received-messages-size",
        "orleans-messaging-sent-header-size",
        "orleans-messaging-received-header-size",
    };

    private const string HttpRequestDuration = "http.server.request.duration";

    // Through decimal, so that the exported bounds read 0.0075, not 0.0075000000000000006.
    private static readonly double[] HttpRequestBoundsSeconds = [.. SafeGramMetrics.DurationBoundsMs.Select(ms => (double)((decimal)ms / 1000))];

    public static OpenTelemetryBuilder AddSafeGramTelemetry(
        this IServiceCollection services,
        IConfiguration configuration,
        string serviceName,
        Action<MeterProviderBuilder> hostMetrics,
        Action<TracerProviderBuilder>? hostTracing = null)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(SafeGramMetrics.MeterName, "Microsoft.Orleans").AddRuntimeInstrumentation();
                hostMetrics(metrics);
            });
        services.ConfigureOpenTelemetryMeterProvider((provider, metrics) =>
        {
            var ownMeters = provider.GetRequiredService<IMeterFactory>();
            metrics.AddView(instrument => StreamFor(instrument, ownMeters));
        });

        // Recording a span for every request and grain call costs a tenth of a gateway's CPU; with nobody to send
        // them to, that is pure waste, so traces exist only when there is a collector.
        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry
                .WithTracing(tracing =>
                {
                    tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application");
                    hostTracing?.Invoke(tracing);
                })
                .UseOtlpExporter();
        }

        return telemetry;
    }

    private static MetricStreamConfiguration StreamFor(Instrument instrument, IMeterFactory ownMeters)
    {
        // Several hosts in one process (tests, tools) each have a factory making meters of the same names. The SDK
        // feeds same-named instruments into one stream and retires it when any of them ends, so a stopped host
        // would silence that series in every host still running: a host exports its own meters and static ones.
        if (instrument.Meter.Scope is IMeterFactory factory && !ReferenceEquals(factory, ownMeters))
        {
            return MetricStreamConfiguration.Drop;
        }

        // The SDK reserves room for 2,000 tag combinations per instrument up front: ~10 MB in a gateway and ~20 MB in
        // a silo, idle. None of ours comes near the lower limit; beyond it, points fold into the overflow series
        // (otel_metric_overflow) instead of vanishing.
        if (PerMessageInstruments.Contains(instrument.Name))
        {
            return MetricStreamConfiguration.Drop;
        }

        // ASP.NET Core's request histogram jumps from 10 to 25 to 50 ms, where a request's tail is read: SafeGram's bounds instead.
        return instrument.Name == HttpRequestDuration
            ? new ExplicitBucketHistogramConfiguration { Boundaries = HttpRequestBoundsSeconds, CardinalityLimit = MetricCardinalityLimit }
            : new MetricStreamConfiguration { CardinalityLimit = MetricCardinalityLimit };
    }
}
