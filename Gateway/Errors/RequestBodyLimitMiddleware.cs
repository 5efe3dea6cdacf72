using Microsoft.AspNetCore.Http.Features;

namespace SafeGram.Gateway.Errors;

/// <summary>
/// Rejects a declared oversized body before any of it is read; Kestrel's own limit catches chunked
/// bodies while they stream. Both end as <c>413 payload_too_large</c>.
/// </summary>
internal sealed class RequestBodyLimitMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        if (context.Request.ContentLength > RequestLimits.MaxBodyBytes)
        {
            return ApiErrors.Problem(StatusCodes.Status413PayloadTooLarge, ErrorCodes.PayloadTooLarge,
                $"The request body exceeds {RequestLimits.MaxBodyBytes} bytes.").ExecuteAsync(context);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
        }

        return next(context);
    }
}
