using Microsoft.Extensions.Logging;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Users;

internal sealed partial class UserGrain
{
    public async Task ConnectAsync(IUserSessionObserver session)
    {
        if (!_sessions.Renew(session) || _sessions.Count != 1)
        {
            return;
        }

        _expiryTimer ??= this.RegisterGrainTimer(ExpireSessionsAsync, SessionTimings.Renewal, SessionTimings.Renewal);
        await PresenceChangedAsync(online: true);
    }

    public async Task DisconnectAsync(IUserSessionObserver session)
    {
        if (_sessions.Remove(session) && _sessions.Count == 0)
        {
            await PresenceChangedAsync(online: false);
        }
    }

    public Task<bool> IsOnlineAsync() => Task.FromResult(IsOnline());

    public Task DeliverAsync(ChatEvent chatEvent)
    {
        if (chatEvent is PresenceChanged presence && !IsNewPresence(presence))
        {
            return Task.CompletedTask;
        }

        // Not awaited as a whole: each push runs on its own, so a dead gateway costs this grain nothing
        // but its own timeout, and is dropped the moment its call fails.
        foreach (var session in _sessions.Sessions)
        {
            _ = PushAsync(session, chatEvent);
        }

        return Task.CompletedTask;
    }

    private async Task PushAsync(IUserSessionObserver session, ChatEvent chatEvent)
    {
        try
        {
            await session.OnEventAsync(chatEvent);
        }
        catch (Exception e)
        {
            SafeGramMetrics.ObserverFailures.Add(1);
            LogSessionDropped(logger, _userId, e.GetType().Name);
            await DisconnectAsync(session);
        }
    }

    private bool IsOnline()
    {
        _sessions.RemoveExpired();
        return _sessions.Count > 0;
    }

    private bool IsNewPresence(PresenceChanged presence)
    {
        if (_presenceSeen.TryGetValue(presence.UserId, out var seen) && seen >= presence.Epoch)
        {
            return false;
        }

        _presenceSeen[presence.UserId] = presence.Epoch;
        return true;
    }

    private async Task ExpireSessionsAsync(CancellationToken cancellationToken)
    {
        if (IsOnline())
        {
            return;
        }

        _expiryTimer?.Dispose();
        _expiryTimer = null;
        await PresenceChangedAsync(online: false);
    }

    /// <summary>Tells every chat of the user; each relays to its other members, who drop repeats by epoch.</summary>
    private async Task PresenceChangedAsync(bool online)
    {
        if (!online && _sessions.Count == 0 && _expiryTimer is not null)
        {
            _expiryTimer.Dispose();
            _expiryTimer = null;
        }

        if (!await ExistsAsync())
        {
            return;
        }

        state.State.LastSeen = time.GetUtcNow();
        if (!online)
        {
            await state.WriteStateAsync();
        }

        var presence = new PresenceChanged(_userId, online, time.GetUtcNow().UtcTicks);
        foreach (var chatId in state.State.Chats)
        {
            _ = GrainFactory.GetGrain<IChatGrain>(chatId).MemberPresenceAsync(presence);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped a session of user {UserId} after a failed push ({Error})")]
    private static partial void LogSessionDropped(ILogger logger, Guid userId, string error);
}
