using Microsoft.AspNetCore.Diagnostics;
using Npgsql;
using Orleans.Runtime.Messaging;
using Orleans.Storage;

namespace SafeGram.Gateway.Errors;

/// <summary>
/// Faults, not outcomes: malformed requests become 400/413, an unreachable cluster or database 503 — as does a grain
/// whose stored state moved on under it (Orleans deactivates it, so the retry finds the state anew) — anything else a
/// bare 500, never a stack trace on the wire.
/// </summary>
internal sealed partial class ApiExceptionHandler(ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var (status, code, detail) = Classify(exception, httpContext);
        if (status >= 500)
        {
            LogFault(logger, status, httpContext.Request.Method, httpContext.Request.Path, exception);
        }

        if (status == StatusCodes.Status503ServiceUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }

        await ApiErrors.Problem(status, code, detail).ExecuteAsync(httpContext);
        return true;
    }

    private static (int Status, string Code, string? Detail) Classify(Exception exception, HttpContext http) => exception switch
    {
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
            (StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge, $"The request body exceeds {RequestLimits.MaxBodyBytes} bytes."),
        BadHttpRequestException bad => (StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, BindingFailureDetail.Describe(bad, http)),
        _ when IsUnavailable(exception) =>
            (StatusCodes.Status503ServiceUnavailable, ErrorCodes.Unavailable, "A backing service is unavailable; retry shortly."),
        _ => (StatusCodes.Status500InternalServerError, ErrorCodes.ServerError, null),
    };

    private static bool IsUnavailable(Exception exception) => exception switch
    {
        TimeoutException or SiloUnavailableException or OrleansMessageRejectionException or ConnectionFailedException
            or NpgsqlException or OperationCanceledException or InconsistentStateException => true,
        OrleansException { InnerException: { } inner } => IsUnavailable(inner),
        AggregateException { InnerException: { } inner } => IsUnavailable(inner),
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Error, Message = "Request {Method} {Path} failed with {Status}")]
    private static partial void LogFault(ILogger logger, int status, string method, string path, Exception exception);
}
