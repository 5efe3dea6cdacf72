using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Hosting;

/// <summary>Metrics at <c>/metrics</c>, traces over OTLP when configured, and the OpenAPI document with a reference page in Development.</summary>
internal static class OperationsExtensions
{
    /// <summary>
    /// The ASP.NET Core meters exported: requests (route, status, duration), Kestrel connections, unhandled exceptions
    /// and rate limiting. Routing, authentication and authorization record once more per request what the request
    /// duration already shows by route and status, and the memory pool once per buffer rented. With the Orleans message
    /// sizes (see <see cref="TelemetryExtensions"/>) they took ~4.5% of a gateway's CPU per request.
    /// </summary>
    private static readonly string[] AspNetCoreMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.RateLimiting",
    ];

    public static WebApplicationBuilder AddSafeGramOperations(this WebApplicationBuilder builder)
    {
        builder.AddGatewayHealthChecks();
        builder.Services.AddSafeGramTelemetry(
            builder.Configuration,
            "safegram-gateway",
            metrics => metrics.AddMeter(AspNetCoreMeters).AddPrometheusExporter(),
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
