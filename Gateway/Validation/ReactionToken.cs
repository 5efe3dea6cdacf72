using System.Globalization;
using System.Text;

namespace SafeGram.Gateway.Validation;

/// <summary>
/// What makes a reaction one visible token. Invisible characters are allowed only where emoji sequences need them:
/// anywhere else they make a reaction that looks like 👍 but is stored, counted and shown as another one.
/// </summary>
internal static class ReactionToken
{
    private const int ZeroWidthJoiner = 0x200D;
    private const int BlackFlag = 0x1F3F4;
    private const int CancelTag = 0xE007F;

    /// <summary>
    /// Starts with something visible. Marks (variation selectors, the keycap) follow a visible character or another mark,
    /// a variation selector never follows another; a zero-width joiner stands between a visible character (or its marks)
    /// and the next visible character; tag characters follow the black flag and end with the cancel tag (subdivision
    /// flags). No other control, format or space character.
    /// </summary>
    public static bool IsWellFormed(string token)
    {
        var previous = Part.Start;
        var previousWasVariationSelector = false;
        var previousWasBlackFlag = false;
        foreach (var character in token.EnumerateRunes())
        {
            var part = PartOf(character);
            var allowed = part switch
            {
                Part.Visible => previous is Part.Start or Part.Visible or Part.Mark or Part.Joiner or Part.ClosedTags,
                Part.Mark => previous is Part.Visible or Part.Mark && !(previousWasVariationSelector && IsVariationSelector(character)),
                Part.Joiner => previous is Part.Visible or Part.Mark,
                Part.OpenTags => previousWasBlackFlag || previous == Part.OpenTags,
                Part.ClosedTags => previous == Part.OpenTags,
                _ => false,
            };

            if (!allowed)
            {
                return false;
            }

            previous = part;
            previousWasVariationSelector = IsVariationSelector(character);
            previousWasBlackFlag = character.Value == BlackFlag;
        }

        return previous is Part.Visible or Part.Mark or Part.ClosedTags;
    }

    private enum Part
    {
        Start,
        Visible,
        Mark,
        Joiner,
        OpenTags,
        ClosedTags,
        Invalid,
    }

    private static Part PartOf(Rune character) => character.Value switch
    {
        ZeroWidthJoiner => Part.Joiner,
        CancelTag => Part.ClosedTags,
        >= 0xE0020 and < CancelTag => Part.OpenTags,
        _ when TextRules.IsBlankFiller(character) => Part.Invalid,
        _ => Rune.GetUnicodeCategory(character) switch
        {
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => Part.Mark,
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator
                or UnicodeCategory.ParagraphSeparator or UnicodeCategory.Surrogate => Part.Invalid,
            _ => Part.Visible,
        },
    };

    private static bool IsVariationSelector(Rune character) => character.Value is (>= 0xFE00 and <= 0xFE0F) or (>= 0xE0100 and <= 0xE01EF);
}
