namespace SafeGram.Grains.Abstractions.Accounts;

/// <summary>What a login needs to check a password; never leaves the gateway.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.AccountCredentials")]
public sealed record AccountCredentials(
    [property: Id(0)] Guid UserId,
    [property: Id(1)] string Username,
    [property: Id(2)] string PasswordHash);
