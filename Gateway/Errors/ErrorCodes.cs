namespace SafeGram.Gateway.Errors;

/// <summary>The <c>error</c> codes of the wire contract.</summary>
internal static class ErrorCodes
{
    public const string BadRequest = "bad_request";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string NotFound = "not_found";
    public const string BadCredentials = "bad_creds";
    public const string UserExists = "user_exists";
    public const string EmailExists = "email_exists";
    public const string TooManyRequests = "too_many_requests";
    public const string TooManyAttempts = "too_many_attempts";
    public const string PayloadTooLarge = "payload_too_large";
    public const string Unavailable = "unavailable";
    public const string ServerError = "server_error";

    /// <summary>The code for a response whose handler set only a status (routing, auth challenge, limits).</summary>
    public static string ForStatus(int status) => status switch
    {
        StatusCodes.Status401Unauthorized => Unauthorized,
        StatusCodes.Status403Forbidden => Forbidden,
        StatusCodes.Status404NotFound => NotFound,
        StatusCodes.Status413PayloadTooLarge => PayloadTooLarge,
        StatusCodes.Status429TooManyRequests => TooManyRequests,
        StatusCodes.Status503ServiceUnavailable => Unavailable,
        >= 500 => ServerError,
        _ => BadRequest,
    };
}
