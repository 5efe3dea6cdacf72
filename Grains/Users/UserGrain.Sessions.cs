using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Users;

internal sealed partial class UserGrain
{
    public async Task ConnectAsync(IGatewayObserver gateway)
    {
        if (_sessions.Renew(gateway))
        {
            await SessionsChangedAsync();
        }
        else
        {
            ScheduleExpiry();
        }
    }

    public async Task DisconnectAsync(IGatewayObserver gateway)
    {
        if (_sessions.Remove(gateway))
        {
            await SessionsChangedAsync();
        }
    }

    public async Task<MemberSessions> GetSessionsAsync()
    {
        await DropExpiredSessionsAsync();
        return CurrentSessions();
    }

    public async Task ExpireSessionsAsync()
    {
        if (!await DropExpiredSessionsAsync())
        {
            // Nothing was due after all: whatever the sweep held for this user now follows the sessions again.
            ScheduleExpiry();
        }
    }

    private async ValueTask<bool> IsOnlineAsync()
    {
        await DropExpiredSessionsAsync();
        return _sessions.Count > 0;
    }

    /// <summary>
    /// Whoever notices expired sessions first (the sweep or a reader) also tells the chats: once dropped,
    /// nobody else would see them go.
    /// </summary>
    private async ValueTask<bool> DropExpiredSessionsAsync()
    {
        if (!_sessions.RemoveExpired())
        {
            return false;
        }

        await SessionsChangedAsync();
        return true;
    }

    private MemberSessions CurrentSessions() => new(_userId, [.. _sessions], _sessionEpoch);

    /// <summary>Keeps this user's entry in the silo's <see cref="SessionExpirySweep"/> in step with the sessions.</summary>
    private void ScheduleExpiry()
    {
        if (_sessions.EarliestExpiry is { } expiresAt)
        {
            expirySweep.Schedule(_userId, expiresAt);
        }
        else
        {
            expirySweep.Forget(_userId);
        }
    }

    /// <summary>
    /// Tells every chat of the user which gateways now hold the user's sockets: chats route events
    /// there and relay presence to their other members.
    /// </summary>
    private async Task SessionsChangedAsync()
    {
        _sessionEpoch = Math.Max(_sessionEpoch + 1, time.GetUtcNow().UtcTicks);
        ScheduleExpiry();

        if (!await ExistsAsync())
        {
            return;
        }

        // The chats hear first: once dropped, these sessions are seen by nobody else, whatever the write below does.
        var sessions = CurrentSessions();
        foreach (var chatId in _state.State.Chats)
        {
            _ = GrainFactory.GetGrain<IChatGrain>(chatId).MemberSessionsAsync(sessions);
        }

        if (_sessions.Count == 0)
        {
            _state.State.LastSeen = time.GetUtcNow();
            await _state.WriteStateAsync();
        }
    }
}
