namespace SafeGram.Grains.Abstractions.Security;

/// <summary>
/// Counts failed sign-ins for one subject (a username or a client address) over a sliding window.
/// Keyed by <see cref="LoginThrottleKeys"/>. Volatile by design: losing counts on a silo crash is harmless.
/// </summary>
[Alias("SafeGram.Grains.Abstractions.Security.ILoginThrottleGrain")]
public interface ILoginThrottleGrain : IGrainWithStringKey
{
    /// <summary>How long the subject must wait before trying again, or <see cref="TimeSpan.Zero"/>.</summary>
    [Alias("GetRetryAfterAsync")]
    Task<TimeSpan> GetRetryAfterAsync();

    [Alias("RecordFailureAsync")]
    Task RecordFailureAsync();

    /// <summary>Forgets the failures; called after a successful sign-in for that username.</summary>
    [Alias("ResetAsync")]
    Task ResetAsync();
}
