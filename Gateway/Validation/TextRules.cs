using System.Globalization;
using System.Text;

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

    /// <summary>
    /// Whether <paramref name="value"/> shows nothing: only white space, controls, invisible formatting (zero-width
    /// spaces and joiners, direction marks), non-spacing and enclosing marks, or blank fillers. Trimming removes white
    /// space only, so a message or name made of the rest would otherwise pass as text.
    /// </summary>
    public static bool IsBlank(string value)
    {
        foreach (var character in value.EnumerateRunes())
        {
            if (!IsInvisible(character))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Letters and symbols that draw nothing (the Hangul fillers, the blank Braille pattern): the usual way to fake an
    /// empty name or message past a check for letters.
    /// </summary>
    public static bool IsBlankFiller(Rune character) => character.Value is 0x115F or 0x1160 or 0x2800 or 0x3164 or 0xFFA0;

    private static bool IsInvisible(Rune character) =>
        IsBlankFiller(character) || Rune.GetUnicodeCategory(character) is UnicodeCategory.Control or UnicodeCategory.Format
            or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator
            or UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark;
}
