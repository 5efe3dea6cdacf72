namespace SafeGram.Grains.Abstractions.Accounts;

/// <summary>Expected outcomes of a registration; faults are exceptions.</summary>
[GenerateSerializer, Immutable, Alias("SafeGram.RegisterResult")]
public sealed record RegisterResult(
    [property: Id(0)] RegisterStatus Status,
    [property: Id(1)] Guid UserId)
{
    public static RegisterResult UsernameTaken { get; } = new(RegisterStatus.UsernameTaken, Guid.Empty);

    public static RegisterResult EmailTaken { get; } = new(RegisterStatus.EmailTaken, Guid.Empty);
}

[GenerateSerializer, Alias("SafeGram.RegisterStatus")]
public enum RegisterStatus
{
    Created = 0,
    UsernameTaken = 1,
    EmailTaken = 2,
}
