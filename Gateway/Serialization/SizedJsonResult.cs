using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace SafeGram.Gateway.Serialization;

/// <summary>
/// 200 with a JSON body that carries its <c>Content-Length</c>. <c>TypedResults.Ok</c> serializes into the response and
/// flushes before the request ends, so Kestrel must send the body chunked: the headers and body in one write, the
/// closing empty chunk in a second. Serialized first, the answer leaves in one write when the request ends.
/// </summary>
internal sealed class SizedJsonResult<TValue>(TValue value) : IResult, IStatusCodeHttpResult, IValueHttpResult, IValueHttpResult<TValue>, IContentTypeHttpResult
{
    public TValue Value => value;

    object? IValueHttpResult.Value => value;

    public int? StatusCode => StatusCodes.Status200OK;

    public string ContentType => SizedJson.ContentType;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var options = httpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        // The runtime type's contract, as TypedResults.Ok uses for a value declared as object.
        var body = JsonSerializer.SerializeToUtf8Bytes(value, value?.GetType() ?? typeof(TValue), options);

        var response = httpContext.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = SizedJson.ContentType;
        response.ContentLength = body.Length;
        // Not flushed: Kestrel sends headers and body together as the request completes.
        response.BodyWriter.Write(body);
        return Task.CompletedTask;
    }
}

/// <summary>Creates <see cref="SizedJsonResult{TValue}"/>s.</summary>
internal static class SizedJson
{
    public const string ContentType = "application/json; charset=utf-8";

    public static SizedJsonResult<TValue> Ok<TValue>(TValue value) => new(value);
}
