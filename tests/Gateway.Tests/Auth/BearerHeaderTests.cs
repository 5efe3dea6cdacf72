using SafeGram.Gateway.Auth;

namespace SafeGram.Gateway.Tests.Auth;

public sealed class BearerHeaderTests
{
    [Theory]
    [InlineData("Bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("bearer abc.def.ghi", "abc.def.ghi")]
    [InlineData("BEARER   abc.def.ghi  ", "abc.def.ghi")]
    public void BearerValue_GivesItsTrimmedToken(string header, string expected)
    {
        Assert.True(BearerHeader.TryGetToken(header, out var token));
        Assert.Equal(expected, token.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("Bearer")]
    [InlineData("Bearer    ")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearerabc.def.ghi")]
    public void AnythingElse_GivesNoToken(string? header)
    {
        Assert.False(BearerHeader.TryGetToken(header, out _));
    }
}
