namespace SafeGram.Gateway.Auth;

/// <summary>Section <c>Passwords</c>. Cost 11 takes ~150 ms per hash on the build machines.</summary>
public sealed class PasswordSettings
{
    public const string SectionName = "Passwords";

    public int BcryptCost { get; set; } = 11;
}
