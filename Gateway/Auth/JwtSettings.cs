namespace SafeGram.Gateway.Auth;

/// <summary>Token signing. Section <c>Jwt</c>; <c>JWT_SECRET</c> (the earlier server's variable) also sets the secret.</summary>
public sealed class JwtSettings
{
    public const string SectionName = "Jwt";
    public const int MinimumSecretBytes = 32;

    public string? Secret { get; set; }

    public TimeSpan Lifetime { get; set; } = TimeSpan.FromDays(30);
}
