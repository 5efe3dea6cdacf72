namespace SafeGram.Gateway.Errors;

/// <summary>Contract errors as RFC 9457 problem details carrying the <c>error</c> code.</summary>
internal static class ApiErrors
{
    public const string CodeKey = "error";

    public static IResult BadRequest(string detail) => Problem(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, detail);

    public static IResult BadRequest(string code, string detail) => Problem(StatusCodes.Status400BadRequest, code, detail);

    public static IResult Unauthorized() => Problem(StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, null);

    public static IResult Forbidden(string? detail = null) => Problem(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, detail);

    public static IResult NotFound(string? detail = null) => Problem(StatusCodes.Status404NotFound, ErrorCodes.NotFound, detail);

    public static IResult Unavailable(string detail) => Problem(StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, detail);

    public static IResult TooMany(string code, TimeSpan retryAfter, string detail) =>
        new RetryAfterResult(Problem(StatusCodes.Status429TooManyRequests, code, detail), retryAfter);

    public static IResult Problem(int status, string code, string? detail) =>
        TypedResults.Problem(statusCode: status, detail: detail, extensions: new Dictionary<string, object?> { [CodeKey] = code });

    /// <summary>Adds <c>Retry-After</c> (whole seconds, at least one) before writing the inner result.</summary>
    private sealed class RetryAfterResult(IResult inner, TimeSpan retryAfter) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.RetryAfter = RetryAfterSeconds(retryAfter);
            return inner.ExecuteAsync(httpContext);
        }
    }

    public static string RetryAfterSeconds(TimeSpan retryAfter) =>
        Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
}
