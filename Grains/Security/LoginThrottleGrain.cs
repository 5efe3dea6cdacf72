using Microsoft.Extensions.Options;
using SafeGram.Grains.Abstractions.Security;

namespace SafeGram.Grains.Security;

/// <summary>Failures live in memory only: a throttle that forgets on a silo crash is still a throttle.</summary>
internal sealed class LoginThrottleGrain(IOptions<LoginThrottleOptions> options, TimeProvider time) : Grain, ILoginThrottleGrain
{
    private readonly Queue<DateTimeOffset> _failures = new();

    private LoginThrottleOptions.Policy Policy => this.GetPrimaryKeyString().StartsWith(LoginThrottleKeys.AddressPrefix, StringComparison.Ordinal)
        ? options.Value.PerAddress
        : options.Value.PerUsername;

    public Task<TimeSpan> GetRetryAfterAsync()
    {
        var policy = Policy;
        var now = time.GetUtcNow();
        Forget(now - policy.Window);
        var retryAfter = _failures.Count >= policy.MaxFailures ? _failures.Peek() + policy.Window - now : TimeSpan.Zero;
        return Task.FromResult(retryAfter);
    }

    public Task RecordFailureAsync()
    {
        var policy = Policy;
        var now = time.GetUtcNow();
        Forget(now - policy.Window);
        _failures.Enqueue(now);
        // Never hold more than the policy can use: an attacker cannot grow this queue.
        while (_failures.Count > policy.MaxFailures)
        {
            _failures.Dequeue();
        }

        DelayDeactivation(policy.Window);
        return Task.CompletedTask;
    }

    public Task ResetAsync()
    {
        _failures.Clear();
        return Task.CompletedTask;
    }

    private void Forget(DateTimeOffset olderThan)
    {
        while (_failures.TryPeek(out var oldest) && oldest <= olderThan)
        {
            _failures.Dequeue();
        }
    }
}
