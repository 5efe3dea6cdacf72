using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using SafeGram.Grains.Hosting;

namespace SafeGram.Gateway.Hosting;

/// <summary>
/// <c>/health</c> (the earlier server's, always ok while the process runs), <c>/health/live</c>, and
/// <c>/health/ready</c>: the cluster is reachable. Redis is not asked: a gateway serves through the silo connections it
/// holds, and a Redis outage marking every gateway unready at once would leave the Service with no endpoint at all.
/// </summary>
internal static class HealthEndpoints
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddGatewayHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: [Ready]);
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

    /// <summary>
    /// Ready while the Orleans client holds a connection to a silo. Without one, the check asks the cluster itself:
    /// the client connects only when it sends, and a gateway taken out of rotation for having no connection would
    /// otherwise never be sent anything that makes it find the silos still alive.
    /// </summary>
    private sealed class ClusterHealthCheck(ClusterAvailability cluster, IGrainFactory grains) : IHealthCheck
    {
        private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);

        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            if (cluster.IsConnected)
            {
                return HealthCheckResult.Healthy();
            }

            if (!cluster.AcceptsCalls)
            {
                return HealthCheckResult.Unhealthy("not connected to the cluster yet");
            }

            try
            {
                await grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true).WaitAsync(ProbeTimeout, cancellationToken);
                return HealthCheckResult.Healthy();
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                return HealthCheckResult.Unhealthy("no silo reachable", e);
            }
        }
    }
}

/// <summary>The body of the legacy <c>GET /health</c>: <c>{"status":"ok"}</c>.</summary>
internal sealed record LegacyHealth(string Status)
{
    public static readonly LegacyHealth Ok = new("ok");
}
