namespace SafeGram.Grains.Abstractions.Accounts;

/// <summary>A validated registration; the password is already hashed by the caller.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.NewAccount")]
public sealed record NewAccount(
    [property: Id(0)] string Username,
    [property: Id(1)] string? Email,
    [property: Id(2)] string PasswordHash);
