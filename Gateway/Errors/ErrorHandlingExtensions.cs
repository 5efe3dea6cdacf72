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
            return ApiErrors.BadRequest(BindingFailureDetail.NotJson).ExecuteAsync(http);
        }

        return ApiErrors.Problem(status, ErrorCodes.ForStatus(status), DetailForStatus(http)).ExecuteAsync(http);
    }

    /// <summary>The contract has no code of its own for 405; its detail says what the path does accept.</summary>
    private static string? DetailForStatus(HttpContext http) => http.Response.StatusCode switch
    {
        StatusCodes.Status405MethodNotAllowed when http.Response.Headers.Allow is { Count: > 0 } allowed =>
            $"{http.Request.Method} is not allowed on this path; it accepts {string.Join(", ", allowed.ToArray())}.",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on this path.",
        _ => null,
    };
}
