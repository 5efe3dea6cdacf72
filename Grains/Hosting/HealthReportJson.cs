using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SafeGram.Grains.Hosting;

/// <summary>The body of the health endpoints: <c>{"status":"ok"|"unavailable","checks":{"name":"Healthy",…}}</c>.</summary>
public static class HealthReportJson
{
    public static byte[] Serialize(HealthReport report) => JsonSerializer.SerializeToUtf8Bytes(new
    {
        status = report.Status == HealthStatus.Unhealthy ? "unavailable" : "ok",
        checks = report.Entries.ToDictionary(e => e.Key, e => e.Value.Status.ToString()),
    });
}
