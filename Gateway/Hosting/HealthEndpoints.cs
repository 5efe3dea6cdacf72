using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Hosting;

/// <summary>
/// <c>/health</c> (the earlier server's, always ok while the process runs), <c>/health/live</c>, and
/// <c>/health/ready</c>: the cluster is reachable and, in client mode, Redis answers.
/// </summary>
internal static class HealthEndpoints
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddGatewayHealthChecks(this WebApplicationBuilder builder)
    {
        var checks = builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [Ready]);
        if (builder.Configuration.GetRedisConnectionString() is { } redis)
        {
            checks.AddRedis(redis, name: "redis", tags: [Ready], timeout: TimeSpan.FromSeconds(3));
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/health", () => TypedResults.Ok(LegacyHealth.Ok)).ExcludeFromDescription();
        routes.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        routes.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return routes;
    }

    private static Task WriteAsync(HttpContext http, HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.Body.WriteAsync(HealthReportJson.Serialize(report)).AsTask();
    }

    private sealed class ClusterHealthCheck(ClusterAvailability cluster) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(cluster.IsAvailable ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy("no silo reachable"));
    }
}

/// <summary>The body of the legacy <c>GET /health</c>: <c>{"status":"ok"}</c>.</summary>
internal sealed record LegacyHealth(string Status)
{
    public static readonly LegacyHealth Ok = new("ok");
}
