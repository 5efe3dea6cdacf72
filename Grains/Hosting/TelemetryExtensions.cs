using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using SafeGram.Grains.Abstractions.Diagnostics;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// Metrics (SafeGram, Orleans, .NET runtime) and traces (Orleans calls) for any SafeGram process.
/// Hosts add their HTTP instrumentation and the Prometheus endpoint. Traces and metrics also go over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class TelemetryExtensions
{
    public static OpenTelemetryBuilder AddSafeGramTelemetry(this IServiceCollection services, IConfiguration configuration, string serviceName)
    {
        var telemetry = services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithMetrics(metrics => metrics
                .AddMeter(SafeGramMetrics.MeterName, "Microsoft.Orleans")
                .AddRuntimeInstrumentation())
            .WithTracing(tracing => tracing.AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application"));

        if (!string.IsNullOrWhiteSpace(configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            telemetry.UseOtlpExporter();
        }

        return telemetry;
    }
}
