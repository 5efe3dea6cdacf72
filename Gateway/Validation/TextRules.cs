namespace SafeGram.Gateway.Validation;

/// <summary>What every text the server stores must satisfy, whatever its own limits.</summary>
internal static class TextRules
{
    /// <summary>
    /// PostgreSQL's text cannot hold U+0000 and no client means to send it: refused as bad input in every mode. It must
    /// never reach the message log: a row PostgreSQL refuses while Npgsql 10.0.3 is auto-preparing the group-commit
    /// insert leaves that connection out of step, and a neighbouring row, though committed, fails with "unexpected
    /// backend message DataRow" (reproduced 2026-12-05; like npgsql/npgsql#6391, open).
    /// </summary>
    public static string? CheckStorable(string field, string? value) =>
        value is not null && value.Contains('\0') ? $"{field} must not contain the NUL character (U+0000)." : null;

    /// <summary>
    /// The contract's limits count characters (Unicode scalar values), not UTF-16 units: an emoji outside the Basic
    /// Multilingual Plane is one character, though .NET stores it as two units.
    /// </summary>
    public static bool HasMoreCharactersThan(string value, int limit)
    {
        if (value.Length <= limit)
        {
            return false;
        }

        var characters = 0;
        foreach (var _ in value.EnumerateRunes())
        {
            if (++characters > limit)
            {
                return true;
            }
        }

        return false;
    }
}
