namespace SafeGram.Gateway.Hosting;

internal static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder routes)
    {
        // Kept for the earlier server's tooling.
        routes.MapGet("/health", () => TypedResults.Ok(new { status = "ok" }));
        routes.MapGet("/health/live", () => TypedResults.Ok(new { status = "ok" }));
        routes.MapGet("/health/ready", (ClusterAvailability cluster) => cluster.IsAvailable
            ? Results.Ok(new { status = "ok" })
            : Results.Json(new { status = "unavailable" }, statusCode: StatusCodes.Status503ServiceUnavailable));
        return routes;
    }
}
