using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using SafeGram.Grains.Hosting;

namespace SafeGram.Silo.Hosting;

/// <summary>Live: the process answers. Ready: PostgreSQL and Redis answer and this silo is an active cluster member.</summary>
internal static class SiloHealthChecks
{
    private const string Ready = "ready";

    public static WebApplicationBuilder AddSiloHealthChecks(this WebApplicationBuilder builder)
    {
        builder.Services.AddHealthChecks()
            .AddNpgSql(builder.Configuration.GetRequiredPostgresConnectionString(), name: "postgres", tags: [Ready], timeout: TimeSpan.FromSeconds(3))
            .AddRedis(RedisProbeConfiguration.For(builder.Configuration.GetRequiredRedisConnectionString()), name: "redis", tags: [Ready], timeout: TimeSpan.FromSeconds(3))
            .AddCheck<SiloMembershipHealthCheck>("cluster", tags: [Ready]);
        return builder;
    }

    public static WebApplication MapSiloHealthChecks(this WebApplication app)
    {
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false, ResponseWriter = WriteAsync });
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains(Ready), ResponseWriter = WriteAsync });
        return app;
    }

    private static Task WriteAsync(HttpContext http, Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report)
    {
        http.Response.ContentType = "application/json";
        return http.Response.Body.WriteAsync(HealthReportJson.Serialize(report)).AsTask();
    }
}
