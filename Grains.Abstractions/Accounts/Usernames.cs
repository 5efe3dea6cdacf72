namespace SafeGram.Grains.Abstractions.Accounts;

/// <summary>The single definition of username equality (case-insensitive, trimmed).</summary>
public static class Usernames
{
    /// <summary>
    /// Unicode case folding, as near as invariant globalization allows: upper then lower case joins lower forms that
    /// share an upper one (ς and σ); .NET's invariant casing leaves the long s alone, whose folding is s.
    /// </summary>
    public static string Normalize(string username) =>
        username.Trim().Replace('ſ', 's').ToUpperInvariant().ToLowerInvariant();
}
