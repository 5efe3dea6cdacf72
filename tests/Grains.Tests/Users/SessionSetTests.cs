using Microsoft.Extensions.Time.Testing;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Tests.Realtime;
using SafeGram.Grains.Users;

namespace SafeGram.Grains.Tests.Users;

/// <summary>The gateways of one user: one held inline, more in a dictionary, all expiring when not renewed.</summary>
public sealed class SessionSetTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private readonly IGatewayObserver _first = new RecordingObserver();
    private readonly IGatewayObserver _second = new RecordingObserver();
    private readonly IGatewayObserver _third = new RecordingObserver();

    [Fact]
    public void Empty_HasNoSessionsAndNothingToExpire()
    {
        var sessions = new SessionSet(_time);

        Assert.Equal(0, sessions.Count);
        Assert.Empty(Listed(sessions));
        Assert.Null(sessions.EarliestExpiry);
        Assert.False(sessions.Remove(_first));
        Assert.False(sessions.RemoveExpired());
    }

    [Fact]
    public void OneSession_IsNewOnce_AndListed()
    {
        var sessions = new SessionSet(_time);

        Assert.True(sessions.Renew(_first));
        Assert.False(sessions.Renew(_first));
        Assert.Equal(1, sessions.Count);
        Assert.Equal([_first], Listed(sessions));
        Assert.Equal(_time.GetUtcNow() + SessionTimings.Expiry, sessions.EarliestExpiry);
    }

    [Fact]
    public void TwoSessions_AreBothListed()
    {
        var sessions = new SessionSet(_time);

        Assert.True(sessions.Renew(_first));
        Assert.True(sessions.Renew(_second));
        Assert.False(sessions.Renew(_second));

        Assert.Equal(2, sessions.Count);
        Assert.Equal([_first, _second], Listed(sessions));
    }

    [Fact]
    public void RemovingTheInlineSession_KeepsTheOthers()
    {
        var sessions = new SessionSet(_time);
        sessions.Renew(_first);
        sessions.Renew(_second);
        sessions.Renew(_third);

        Assert.True(sessions.Remove(_first));
        Assert.False(sessions.Remove(_first));

        Assert.Equal(2, sessions.Count);
        Assert.Equal(new[] { _second, _third }.ToHashSet(), Listed(sessions).ToHashSet());
        Assert.False(sessions.Renew(_second));
        Assert.False(sessions.Renew(_third));
        Assert.True(sessions.Remove(_second));
        Assert.True(sessions.Remove(_third));
        Assert.Equal(0, sessions.Count);
        Assert.Empty(Listed(sessions));
        Assert.True(sessions.Renew(_first));
    }

    [Fact]
    public void RemovingAnotherSession_KeepsTheInlineOne()
    {
        var sessions = new SessionSet(_time);
        sessions.Renew(_first);
        sessions.Renew(_second);

        Assert.True(sessions.Remove(_second));

        Assert.Equal([_first], Listed(sessions));
        Assert.True(sessions.Renew(_second));
    }

    [Fact]
    public void Expiry_DropsOnlyTheSessionsNotRenewedInTime()
    {
        var sessions = new SessionSet(_time);
        sessions.Renew(_first);
        _time.Advance(TimeSpan.FromSeconds(30));
        sessions.Renew(_second);
        sessions.Renew(_third);

        _time.Advance(TimeSpan.FromSeconds(40));   // the inline first is 10 s past its expiry
        var expiredFirst = sessions.RemoveExpired();
        var afterFirst = Listed(sessions).ToHashSet();
        sessions.Renew(_third);
        var thirdRenewedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(30));   // the second is 10 s past its expiry
        var expiredSecond = sessions.RemoveExpired();

        Assert.True(expiredFirst);
        Assert.Equal(new[] { _second, _third }.ToHashSet(), afterFirst);
        Assert.True(expiredSecond);
        Assert.False(sessions.RemoveExpired());
        Assert.Equal([_third], Listed(sessions));
        Assert.Equal(thirdRenewedAt + SessionTimings.Expiry, sessions.EarliestExpiry);
    }

    [Fact]
    public void Expiry_OfAnotherSession_KeepsTheInlineOne()
    {
        var sessions = new SessionSet(_time);
        sessions.Renew(_first);
        sessions.Renew(_second);
        _time.Advance(TimeSpan.FromSeconds(30));
        sessions.Renew(_first);

        _time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(20));

        Assert.True(sessions.RemoveExpired());
        Assert.Equal([_first], Listed(sessions));
    }

    [Fact]
    public void Renewing_PushesExpiryBack()
    {
        var sessions = new SessionSet(_time);
        sessions.Renew(_first);
        sessions.Renew(_second);
        _time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(5));
        sessions.Renew(_first);
        sessions.Renew(_second);

        _time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(5));

        Assert.False(sessions.RemoveExpired());
        Assert.Equal(2, sessions.Count);
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(5), sessions.EarliestExpiry);
    }

    [Fact]
    public void EarliestExpiry_FollowsTheLeastRecentlyRenewed()
    {
        var sessions = new SessionSet(_time);
        sessions.Renew(_first);
        _time.Advance(TimeSpan.FromSeconds(10));
        sessions.Renew(_second);
        var secondRenewedAt = _time.GetUtcNow();
        _time.Advance(TimeSpan.FromSeconds(10));

        sessions.Renew(_first);

        Assert.Equal(secondRenewedAt + SessionTimings.Expiry, sessions.EarliestExpiry);
    }

    private static List<IGatewayObserver> Listed(SessionSet sessions)
    {
        var listed = new List<IGatewayObserver>();
        foreach (var session in sessions)
        {
            listed.Add(session);
        }

        return listed;
    }
}
