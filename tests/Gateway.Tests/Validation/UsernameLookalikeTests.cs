using SafeGram.Gateway.Validation;

namespace SafeGram.Gateway.Tests.Validation;

/// <summary>
/// A username may not pass for another one through letters of a look-alike alphabet, compatibility forms of letters
/// or digits of another number system; names written in any one script (beside Han, kana and the like) still pass.
/// </summary>
public sealed class UsernameLookalikeTests
{
    [Theory]
    [InlineData("\u0430dmin", "mix")]          // Cyrillic а
    [InlineData("p\u0430yp\u0430l", "mix")]
    [InlineData("\u03b1lpha", "mix")]          // Greek α
    [InlineData("\u0578ick", "mix")]           // Armenian ո
    [InlineData("\u13aalice", "mix")]          // Cherokee Ꭺ
    [InlineData("Mos\u043ava", "mix")]         // Cyrillic к in a Latin name
    [InlineData("\uff41\uff44\uff4d\uff49\uff4e", "compatibility")]                     // full-width
    [InlineData("\U0001D41A\U0001D41D\U0001D426\U0001D422\U0001D427", "compatibility")] // mathematical bold
    [InlineData("\ufb01nance", "compatibility")]  // ﬁ ligature
    [InlineData("\u2113eo", "compatibility")]     // ℓ
    [InlineData("\u212aelvin", "compatibility")]  // Kelvin sign
    [InlineData("\u1d43dmin", "compatibility")]   // superscript a
    [InlineData("\u03d0eta", "compatibility")]    // Greek beta symbol
    [InlineData("\uff71\uff72\uff73", "compatibility")]  // half-width katakana
    [InlineData("user\U0001D7CF", "compatibility")]      // mathematical digit one
    [InlineData("admin\u0661", "0-9")]            // Arabic-Indic one beside Latin letters
    [InlineData("1\u0662\u0663", "number systems")]
    public void Lookalike_IsRefused(string username, string detailPart)
    {
        var detail = AccountRules.CheckUsername(username);

        Assert.NotNull(detail);
        Assert.Contains(detailPart, detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("\u0141ukasz")]                   // Łukasz
    [InlineData("Stra\u00dfe")]                   // Straße
    [InlineData("\u0395\u03bb\u03bb\u03b7\u03bd\u03b9\u03ba\u03ac")]   // Ελληνικά
    [InlineData("\u041c\u043e\u0441\u043a\u0432\u0430_2024")]          // Москва_2024
    [InlineData("\u0540\u0561\u0575\u0561\u057d\u057f\u0561\u0576")]   // Հայաստան
    [InlineData("\u13e3\u13b3\u13a9")]            // ᏣᎳᎩ
    [InlineData("\u5c71\u7530\u592a\u90ce")]      // 山田太郎
    [InlineData("li_wei\u674e\u4f1f")]            // Latin beside Han
    [InlineData("\u3089\u30fc\u3081\u3093")]      // らーめん
    [InlineData("\ufa11\u5c71\u592a")]            // 﨑山太: an ordinary ideograph in the compatibility block
    [InlineData("\u314b\u314b\u314b")]            // ㅋㅋㅋ
    [InlineData("\u062a\u062c\u0631\u0628\u0629\u0663")]   // Arabic letters with an Arabic-Indic digit
    [InlineData("\u0930\u092e\u0928\u0967\u0968")]         // Devanagari letters and digits
    [InlineData("\u017fam")]                      // ſ: left to the key, which folds it to s
    [InlineData("1234")]
    public void SingleScriptName_Passes(string username) => Assert.Null(AccountRules.CheckUsername(username));
}
