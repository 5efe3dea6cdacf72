namespace SafeGram.Gateway.Validation;

/// <summary>What every text the server stores must satisfy, whatever its own limits.</summary>
internal static class TextRules
{
    /// <summary>PostgreSQL's text cannot hold U+0000 and no client means to send it: refused as bad input in every mode.</summary>
    public static string? CheckStorable(string field, string? value) =>
        value is not null && value.Contains('\0') ? $"{field} must not contain the NUL character (U+0000)." : null;
}
