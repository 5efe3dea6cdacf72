using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;

namespace SafeGram.Gateway.Errors;

/// <summary>
/// The <c>detail</c> of a request the framework could not bind. Clients show it to people, so it names the field at
/// fault in the request's own terms, never the framework's (parameter inference, .NET type names).
/// </summary>
internal static class BindingFailureDetail
{
    public const string NotJson = "The body must be JSON (Content-Type: application/json).";
    public const string BodyRequired = "The request needs a JSON body.";
    public const string NotAnObject = "The body must be a JSON object.";

    public static string Describe(BadHttpRequestException exception, HttpContext http) => exception switch
    {
        { StatusCode: StatusCodes.Status415UnsupportedMediaType } => NotJson,
        { InnerException: JsonException json } => DescribeJson(json),
        // A JSON null, or a body that ended before its first byte: the framework's words name the .NET parameter.
        _ when ExpectsBody(http) => HasBody(http) ? NotAnObject : BodyRequired,
        _ => exception.Message,
    };

    private static string DescribeJson(JsonException json)
    {
        // The reader's own failures (syntax, encoding) are JSON exceptions themselves, wrapped in one that adds the path.
        if (json.InnerException is JsonException || json.Path is null)
        {
            return json.LineNumber is { } line && json.BytePositionInLine is { } position
                ? $"The body is not valid JSON (line {line + 1}, byte {position + 1})."
                : "The body is not valid JSON.";
        }

        // Wrong JSON types and strings that are not valid Unicode (an unpaired surrogate escape) both land here.
        return json.Path == "$" ? NotAnObject : $"'{json.Path.TrimStart('$', '.')}' has the wrong type or an invalid value.";
    }

    /// <summary>The exception handler runs with the endpoint cleared; the feature keeps the one that failed.</summary>
    private static bool ExpectsBody(HttpContext http) =>
        http.Features.Get<IExceptionHandlerFeature>()?.Endpoint?.Metadata.GetMetadata<IAcceptsMetadata>() is not null;

    private static bool HasBody(HttpContext http) =>
        http.Request.ContentLength != 0 && http.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody != false;
}
