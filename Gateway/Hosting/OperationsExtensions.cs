using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Hosting;

/// <summary>Metrics at <c>/metrics</c>, traces over OTLP when configured, and the OpenAPI document with a reference page in Development.</summary>
internal static class OperationsExtensions
{
    public static WebApplicationBuilder AddSafeGramOperations(this WebApplicationBuilder builder)
    {
        builder.AddGatewayHealthChecks();
        builder.Services.AddSafeGramTelemetry(
            builder.Configuration,
            "safegram-gateway",
            metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter(),
            tracing => tracing.AddAspNetCoreInstrumentation());
        builder.Services.AddOpenApi();
        return builder;
    }

    public static WebApplication MapSafeGramOperations(this WebApplication app)
    {
        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics");
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }
}
