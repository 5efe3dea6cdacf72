namespace SafeGram.Grains.Accounts;

public sealed record AccountRecord(
    Guid UserId,
    string Username,
    string? Email,
    string PasswordHash,
    DateTimeOffset CreatedAt);
