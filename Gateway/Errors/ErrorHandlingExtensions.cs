namespace SafeGram.Gateway.Errors;

internal static class ErrorHandlingExtensions
{
    public static IServiceCollection AddSafeGramErrors(this IServiceCollection services)
    {
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            var extensions = context.ProblemDetails.Extensions;
            extensions.Remove("traceId");
            extensions.TryAdd(ApiErrors.CodeKey, ErrorCodes.ForStatus(context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode));
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        // Binding failures throw, so the handler can answer them with a detail instead of an empty 400.
        services.Configure<RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        return services;
    }

    public static WebApplication UseSafeGramErrors(this WebApplication app)
    {
        app.UseExceptionHandler();
        // Responses that carry only a status (unknown route, auth challenge) get the contract body too.
        app.UseStatusCodePages(context => WriteStatusOnlyAsync(context.HttpContext));
        return app;
    }

    private static Task WriteStatusOnlyAsync(HttpContext http)
    {
        var status = http.Response.StatusCode;
        // The contract has no 415: a body that is not JSON is a bad request like any other.
        if (status == StatusCodes.Status415UnsupportedMediaType)
        {
            http.Response.StatusCode = StatusCodes.Status400BadRequest;
            return ApiErrors.BadRequest(ApiExceptionHandler.NotJsonDetail).ExecuteAsync(http);
        }

        return ApiErrors.Problem(status, ErrorCodes.ForStatus(status), null).ExecuteAsync(http);
    }
}
