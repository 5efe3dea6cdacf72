using Microsoft.Extensions.Logging;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Realtime;

namespace SafeGram.Grains.Users;

internal sealed partial class UserGrain
{
    public async Task ConnectAsync(IGatewayObserver gateway)
    {
        if (!_sessions.Renew(gateway))
        {
            return;
        }

        _expiryTimer ??= this.RegisterGrainTimer(ExpireSessionsAsync, SessionTimings.Renewal, SessionTimings.Renewal);
        await SessionsChangedAsync();
    }

    public async Task DisconnectAsync(IGatewayObserver gateway)
    {
        if (_sessions.Remove(gateway))
        {
            await SessionsChangedAsync();
        }
    }

    public Task<MemberSessions> GetSessionsAsync()
    {
        _sessions.RemoveExpired();
        return Task.FromResult(CurrentSessions());
    }

    public Task DeliverAsync(ChatEvent chatEvent)
    {
        // Not awaited as a whole: each push runs on its own, so a dead gateway costs this grain nothing
        // but its own timeout, and is dropped the moment its call fails.
        foreach (var gateway in _sessions)
        {
            _ = PushAsync(gateway, chatEvent);
        }

        return Task.CompletedTask;
    }

    private async Task PushAsync(IGatewayObserver gateway, ChatEvent chatEvent)
    {
        try
        {
            await gateway.DeliverAsync(chatEvent, [_userId]);
        }
        catch (Exception e) when (GatewayFailures.MeansGone(e))
        {
            SafeGramMetrics.ObserverFailures.Add(1);
            LogSessionDropped(logger, _userId, e.GetType().Name);
            await DisconnectAsync(gateway);
        }
        catch (TimeoutException)
        {
            SafeGramMetrics.ObserverFailures.Add(1);
        }
    }

    private bool IsOnline()
    {
        _sessions.RemoveExpired();
        return _sessions.Count > 0;
    }

    private MemberSessions CurrentSessions() => new(_userId, [.. _sessions], _sessionEpoch);

    private async Task ExpireSessionsAsync(CancellationToken cancellationToken)
    {
        if (_sessions.RemoveExpired())
        {
            await SessionsChangedAsync();
        }
    }

    /// <summary>
    /// Tells every chat of the user which gateways now hold the user's sockets: chats route events
    /// there and relay presence to their other members.
    /// </summary>
    private async Task SessionsChangedAsync()
    {
        _sessionEpoch = Math.Max(_sessionEpoch + 1, time.GetUtcNow().UtcTicks);
        if (_sessions.Count == 0)
        {
            _expiryTimer?.Dispose();
            _expiryTimer = null;
        }

        if (!await ExistsAsync())
        {
            return;
        }

        if (_sessions.Count == 0)
        {
            state.State.LastSeen = time.GetUtcNow();
            await state.WriteStateAsync();
        }

        var sessions = CurrentSessions();
        foreach (var chatId in state.State.Chats)
        {
            _ = GrainFactory.GetGrain<IChatGrain>(chatId).MemberSessionsAsync(sessions);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Dropped a gateway of user {UserId} after a failed push ({Error})")]
    private static partial void LogSessionDropped(ILogger logger, Guid userId, string error);
}
