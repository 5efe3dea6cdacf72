using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Scalar.AspNetCore;
using SafeGram.Gateway.Errors;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Hosting;

/// <summary>
/// Metrics at <c>/metrics</c> (on a port of their own when <c>Metrics:Port</c> is set), traces over OTLP when configured,
/// and the OpenAPI document with a reference page in Development.
/// </summary>
internal static class OperationsExtensions
{
    public const string MetricsPortKey = "Metrics:Port";

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

    /// <summary>
    /// <paramref name="urls"/>, plus the metrics port when one is set: the API's port is the one clients reach, and what
    /// the metrics tell (routes, volumes, errors, cluster state) is for the operator's scraper only.
    /// </summary>
    public static string WithMetricsPort(this string urls, IConfiguration configuration) =>
        MetricsPort(configuration) is { } port ? $"{urls};http://0.0.0.0:{port}" : urls;

    public static WebApplication MapSafeGramOperations(this WebApplication app)
    {
        app.MapHealthEndpoints();
        var metricsPort = MetricsPort(app.Configuration);
        app.MapPrometheusScrapingEndpoint(
            "/metrics",
            meterProvider: null,
            // The port the connection arrived on, not the Host header (RequireHost), which any client may set.
            configureBranchedPipeline: metricsPort is { } port
                ? branch => branch.Use(next => http => http.Connection.LocalPort == port ? next(http) : ApiErrors.NotFound().ExecuteAsync(http))
                : null,
            optionsName: null);
        app.MapOpenApi();
        if (app.Environment.IsDevelopment())
        {
            app.MapScalarApiReference();
        }

        return app;
    }

    private static int? MetricsPort(IConfiguration configuration) =>
        int.TryParse(configuration[MetricsPortKey], out var port) && port > 0 ? port : null;
}
