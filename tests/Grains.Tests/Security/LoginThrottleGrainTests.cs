using SafeGram.Grains.Abstractions.Security;

namespace SafeGram.Grains.Tests.Security;

/// <summary>Sliding-window failure counting (the fixture allows 3 failures per username per minute).</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class LoginThrottleGrainTests(PostgresClusterFixture fixture)
{
    private ILoginThrottleGrain NewUsernameThrottle() =>
        fixture.Client.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.ForUsername(Guid.NewGuid().ToString("N")));

    [Fact]
    public async Task GetRetryAfterAsync_BelowTheLimit_IsZero()
    {
        var throttle = NewUsernameThrottle();
        await throttle.RecordFailureAsync();
        await throttle.RecordFailureAsync();

        Assert.Equal(TimeSpan.Zero, await throttle.GetRetryAfterAsync());
    }

    [Fact]
    public async Task GetRetryAfterAsync_AtTheLimit_AsksToWaitAtMostTheWindow()
    {
        var throttle = NewUsernameThrottle();
        for (var i = 0; i < 3; i++)
        {
            await throttle.RecordFailureAsync();
        }

        var wait = await throttle.GetRetryAfterAsync();

        Assert.InRange(wait, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
    }

    [Fact]
    public async Task ResetAsync_ClearsFailures()
    {
        var throttle = NewUsernameThrottle();
        for (var i = 0; i < 3; i++)
        {
            await throttle.RecordFailureAsync();
        }

        await throttle.ResetAsync();

        Assert.Equal(TimeSpan.Zero, await throttle.GetRetryAfterAsync());
    }

    [Fact]
    public async Task AddressKeys_UseTheirOwnLimit()
    {
        var throttle = fixture.Client.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.ForAddress("10.0.0." + Random.Shared.Next(255)));
        for (var i = 0; i < 3; i++)
        {
            await throttle.RecordFailureAsync();
        }

        // The per-address default (20) is far above the per-username limit configured here.
        Assert.Equal(TimeSpan.Zero, await throttle.GetRetryAfterAsync());
    }
}
