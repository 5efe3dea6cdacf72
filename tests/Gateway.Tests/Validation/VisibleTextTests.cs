using SafeGram.Gateway.Validation;

namespace SafeGram.Gateway.Tests.Validation;

/// <summary>
/// Only text that shows nothing is blank, and a reaction is one visible token: emoji sequences pass with the invisible
/// characters they are built from, and nothing else invisible gets in.
/// </summary>
public sealed class VisibleTextTests
{
    [Theory]
    [InlineData("\u200b")]
    [InlineData("\u200b\u200c\u200d\u2060\ufeff")]
    [InlineData("\u202e\u200f")]
    [InlineData("\u0301\u20e3")]
    [InlineData("\u3164\u2800\u115f\u1160\uffa0")]
    [InlineData("\u00a0\u3000")]
    public void InvisibleOnly_IsBlank(string text) => Assert.True(TextRules.IsBlank(text));

    [Theory]
    [InlineData("a")]
    [InlineData("\u200ba")]
    [InlineData("می\u200cخواهم")]
    [InlineData("\u200fשלום")]
    [InlineData("👍")]
    [InlineData("\u3164x")]
    public void AnythingVisible_IsNotBlank(string text) => Assert.False(TextRules.IsBlank(text));

    [Theory]
    [InlineData("👍")]
    [InlineData("👍🏽")]
    [InlineData("👨\u200d👩\u200d👧")]
    [InlineData("🇺🇦")]
    [InlineData("1\ufe0f\u20e3")]
    [InlineData("❤\ufe0f")]
    [InlineData("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F")]
    [InlineData(":+1:")]
    [InlineData("👍👍")]
    [InlineData("é")]
    [InlineData("e\u0301")]
    public void EmojiSequencesAndTokens_AreWellFormed(string token) => Assert.True(ReactionToken.IsWellFormed(token));

    [Theory]
    [InlineData("\u0301")]
    [InlineData("\u0301a")]
    [InlineData("\ufe0f")]
    [InlineData("\u20e3👍")]
    [InlineData("\u200d👍")]
    [InlineData("👍\u200d")]
    [InlineData("👍\u200d\u200d👍")]
    [InlineData("👍\u200d\ufe0f")]
    [InlineData("👍\ufe0f\ufe0f")]
    [InlineData("👍\U000E0061")]
    [InlineData("🏴\U000E0067\U000E0062")]
    [InlineData("🏴\U000E007F")]
    [InlineData("🏴\U000E0067\U000E007F\U000E007F")]
    [InlineData("👍\u202e")]
    [InlineData("\u2066👍")]
    [InlineData("👍\u200b")]
    [InlineData("\u3164")]
    [InlineData("a\u00a0b")]
    public void InvisibleExtras_AreNotWellFormed(string token) => Assert.False(ReactionToken.IsWellFormed(token));
}
