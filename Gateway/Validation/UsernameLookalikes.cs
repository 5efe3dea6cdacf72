using System.Text;

namespace SafeGram.Gateway.Validation;

/// <summary>
/// Usernames that would pass for someone else's. The case-insensitive key keeps <c>Admin</c> from registering beside
/// <c>admin</c>, but not letters drawn from another alphabet or written in a compatibility form: <c>аdmin</c> with a
/// Cyrillic а, <c>ａｄｍｉｎ</c>, <c>𝐚𝐝𝐦𝐢𝐧</c>. Invariant globalization has no NFKC and .NET has no script property,
/// so both are read from the code point ranges Unicode assigns them. Names written wholly in one alphabet (<c>асе</c>
/// against <c>ace</c>) are not caught: that needs Unicode's confusables table (UTS #39 skeletons).
/// </summary>
internal static class UsernameLookalikes
{
    /// <summary>The <c>detail</c> for a username whose letters or digits pass for others, or <c>null</c>.</summary>
    public static string? Check(IReadOnlyList<Rune> characters)
    {
        var alphabet = Alphabet.None;
        var digitZero = -1;
        foreach (var character in characters)
        {
            if (IsCompatibilityForm(character))
            {
                return "username may not use compatibility forms of letters or digits (full-width, mathematical, "
                    + "superscript, ligatures): type the plain letters.";
            }

            if (AlphabetOf(character) is var own and not Alphabet.None)
            {
                if (alphabet != Alphabet.None && own != alphabet)
                {
                    return "username may not mix Latin, Greek, Cyrillic, Armenian or Cherokee letters.";
                }

                alphabet = own;
            }

            if (Rune.IsDigit(character))
            {
                var zero = character.Value - (int)Rune.GetNumericValue(character);
                if (digitZero != -1 && zero != digitZero)
                {
                    return "username may not mix digits of different number systems.";
                }

                digitZero = zero;
            }
        }

        // ١ and ۵ pass for l and o beside Latin letters; these alphabets are written with 0-9.
        return alphabet != Alphabet.None && digitZero is not (-1 or '0')
            ? "username with Latin, Greek, Cyrillic, Armenian or Cherokee letters takes the digits 0-9."
            : null;
    }

    /// <summary>The alphabets whose letters look alike; every other script may sit beside any one of them.</summary>
    private enum Alphabet { None, Latin, Greek, Cyrillic, Armenian, Cherokee }

    private static Alphabet AlphabetOf(Rune character) => character.Value switch
    {
        >= 'A' and <= 'Z' or >= 'a' and <= 'z' => Alphabet.Latin,
        >= 0x00C0 and <= 0x02AF => Alphabet.Latin,   // Latin-1 letters, Latin Extended-A and -B, IPA
        >= 0x1D00 and <= 0x1DBF => Alphabet.Latin,   // phonetic extensions (small capitals such as ᴀ)
        >= 0x1E00 and <= 0x1EFF or >= 0x2C60 and <= 0x2C7F or >= 0xA720 and <= 0xA7FF or >= 0xAB30 and <= 0xAB6F => Alphabet.Latin,
        >= 0x10780 and <= 0x107BF or >= 0x1DF00 and <= 0x1DFFF => Alphabet.Latin,
        >= 0x0370 and <= 0x03FF or >= 0x1F00 and <= 0x1FFF => Alphabet.Greek,
        >= 0x0400 and <= 0x052F or >= 0x1C80 and <= 0x1C8F or >= 0xA640 and <= 0xA69F or >= 0x1E030 and <= 0x1E08F => Alphabet.Cyrillic,
        >= 0x0530 and <= 0x058F => Alphabet.Armenian,
        >= 0x13A0 and <= 0x13FF or >= 0xAB70 and <= 0xABBF => Alphabet.Cherokee,
        _ => Alphabet.None,
    };

    /// <summary>
    /// Letters and digits whose compatibility decomposition (NFKC) is another, plain letter or digit: what a name
    /// would be typed with had it not been styled to look like someone else's. The long s is left to the key, which
    /// folds it to s.
    /// </summary>
    private static bool IsCompatibilityForm(Rune character) => character.Value switch
    {
        0x00AA or 0x00BA => true,                                             // ª º
        0x0132 or 0x0133 or 0x013F or 0x0140 or 0x0149 => true,              // Ĳ ĳ Ŀ ŀ ŉ
        >= 0x01C4 and <= 0x01CC or >= 0x01F1 and <= 0x01F3 => true,          // Ǆ ǅ ǆ Ǉ … ǳ
        >= 0x02B0 and <= 0x02B8 or >= 0x02E0 and <= 0x02E4 => true,          // ʰ ʲ ˡ …
        >= 0x1D2C and <= 0x1D6A or 0x1D78 or >= 0x1D9B and <= 0x1DBF => true, // ᴬ ᵃ ᵢ …
        0x037A or >= 0x03D0 and <= 0x03D6 or >= 0x03F0 and <= 0x03F2 or 0x03F4 or 0x03F5 or 0x03F9 => true, // ϐ ϑ ϕ ϰ …
        0x2071 or 0x207F or >= 0x2090 and <= 0x209C => true,                  // ⁱ ⁿ ₐ …
        >= 0x2100 and <= 0x214F => true,                                      // ℂ ℓ K Å …
        0x2C7C or 0x2C7D => true,
        >= 0xF900 and <= 0xFAFF => !IsUnifiedIdeographInCompatibilityBlock(character.Value),
        >= 0xFB00 and <= 0xFDFF or >= 0xFE70 and <= 0xFEFF => true,          // ligatures, presentation forms
        >= 0xFF00 and <= 0xFFEF => true,                                      // full-width and half-width forms
        >= 0x1D400 and <= 0x1D7FF => true,                                    // mathematical letters and digits
        >= 0x1E030 and <= 0x1E06D => true,                                    // Cyrillic superscript letters
        >= 0x1FBF0 and <= 0x1FBF9 => true,                                    // segmented digits
        >= 0x2F800 and <= 0x2FA1F => true,                                    // CJK compatibility ideographs
        _ => false,
    };

    /// <summary>Twelve ideographs in the compatibility block are ordinary ones (﨑, used in Japanese names, among them).</summary>
    private static bool IsUnifiedIdeographInCompatibilityBlock(int value) =>
        value is 0xFA0E or 0xFA0F or 0xFA11 or 0xFA13 or 0xFA14 or 0xFA1F or 0xFA21 or 0xFA23 or 0xFA24
            or 0xFA27 or 0xFA28 or 0xFA29;
}
