namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>
/// Expected outcomes of a chat operation are values, so the gateway can map them to the contract;
/// exceptions are reserved for faults. <see cref="Detail"/> explains <see cref="ChatOutcome.Invalid"/> and
/// <see cref="ChatOutcome.Forbidden"/>.
/// </summary>
[GenerateSerializer, Immutable, Alias("SafeGram.ChatResult`1")]
public sealed record ChatResult<T>(
    [property: Id(0)] ChatOutcome Outcome,
    [property: Id(1)] T? Value,
    [property: Id(2)] string? Detail = null)
{
    public static implicit operator ChatResult<T>(ChatFailure failure) => new(failure.Outcome, default, failure.Detail);
}

[GenerateSerializer, Alias("SafeGram.ChatOutcome")]
public enum ChatOutcome
{
    Ok = 0,
    NotFound = 1,
    Forbidden = 2,
    Invalid = 3,
}

/// <summary>A failure of any result type: <c>return ChatFailure.NotFound;</c>.</summary>
public readonly record struct ChatFailure(ChatOutcome Outcome, string? Detail)
{
    public static ChatFailure NotFound { get; } = new(ChatOutcome.NotFound, null);

    /// <summary>Refused for who the caller is; <paramref name="detail"/> says who may.</summary>
    public static ChatFailure Forbidden(string detail) => new(ChatOutcome.Forbidden, detail);

    public static ChatFailure Invalid(string detail) => new(ChatOutcome.Invalid, detail);
}

public static class ChatResult
{
    public static ChatResult<T> Ok<T>(T value) => new(ChatOutcome.Ok, value);
}
