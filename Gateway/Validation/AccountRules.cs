using System.Text;

namespace SafeGram.Gateway.Validation;

/// <summary>The contract's account limits. Each check returns the <c>detail</c> to show, or <c>null</c> when valid.</summary>
internal static class AccountRules
{
    public const int MinUsername = 3;
    public const int MaxUsername = 32;
    public const int MinPasswordBytes = 8;
    public const int MaxPasswordBytes = 72;   // bcrypt ignores everything past 72 bytes
    public const int MaxEmail = 254;

    public static string? CheckUsername(string? username)
    {
        var trimmed = username?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return "username is required.";
        }

        // Characters, not UTF-16 units: a letter outside the Basic Multilingual Plane is one character, and a letter.
        var characters = trimmed.EnumerateRunes().ToArray();
        if (characters.Length is < MinUsername or > MaxUsername)
        {
            return $"username must be {MinUsername}-{MaxUsername} characters.";
        }

        return characters.All(c => (Rune.IsLetterOrDigit(c) && !TextRules.IsBlankFiller(c)) || c.Value is '_' or '.' or '-')
            ? UsernameLookalikes.Check(characters)
            : "username may contain only letters, digits, '_', '.' and '-'.";
    }

    public static string? CheckPassword(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "password is required.";
        }

        var bytes = Encoding.UTF8.GetByteCount(password);
        return bytes is < MinPasswordBytes or > MaxPasswordBytes
            ? $"password must be {MinPasswordBytes}-{MaxPasswordBytes} bytes."
            : null;
    }

    /// <summary>An empty email counts as none.</summary>
    public static string? CheckEmail(string? email)
    {
        var trimmed = email?.Trim();
        if (string.IsNullOrEmpty(trimmed))
        {
            return null;
        }

        if (trimmed.Length > MaxEmail)
        {
            return $"email must be at most {MaxEmail} characters.";
        }

        if (TextRules.CheckStorable("email", trimmed) is { } problem)
        {
            return problem;
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < trimmed.Length - 1 ? null : "email must look like name@domain.";
    }

    public static string? NormalizeEmail(string? email) => string.IsNullOrWhiteSpace(email) ? null : email.Trim();
}
