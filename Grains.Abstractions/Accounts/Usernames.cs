namespace SafeGram.Grains.Abstractions.Accounts;

/// <summary>The single definition of username equality (case-insensitive, trimmed).</summary>
public static class Usernames
{
    public static string Normalize(string username) => username.Trim().ToLowerInvariant();
}
