namespace SafeGram.Gateway.Auth;

/// <summary>Reads the token out of an <c>Authorization: Bearer …</c> header value, as the bearer scheme does.</summary>
internal static class BearerHeader
{
    private const string Scheme = "Bearer ";

    /// <summary>The trimmed token of a <c>Bearer</c> header value; <c>false</c> for any other scheme or an empty token.</summary>
    public static bool TryGetToken(string? authorization, out ReadOnlySpan<char> token)
    {
        token = authorization is not null && authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            ? authorization.AsSpan(Scheme.Length).Trim()
            : [];
        return !token.IsEmpty;
    }
}
