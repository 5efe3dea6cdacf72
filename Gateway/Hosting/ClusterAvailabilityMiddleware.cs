using SafeGram.Gateway.Errors;

namespace SafeGram.Gateway.Hosting;

/// <summary>Answers API calls with 503 at once while the cluster is out of reach, instead of letting them wait.</summary>
internal sealed class ClusterAvailabilityMiddleware(RequestDelegate next, ClusterAvailability cluster)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (cluster.AcceptsCalls || !NeedsCluster(context.Request.Path))
        {
            return next(context);
        }

        context.Response.Headers.RetryAfter = "1";
        return ApiErrors.Unavailable("The cluster is not reachable yet.").ExecuteAsync(context);
    }

    private static bool NeedsCluster(PathString path) =>
        path.StartsWithSegments("/api") || path.StartsWithSegments("/ws");
}
