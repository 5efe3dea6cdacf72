using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Realtime;

namespace SafeGram.Grains.Chats;

internal sealed partial class ChatGrain
{
    /// <summary>A member's typing indicator is relayed at most this often unless it changes.</summary>
    private static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(1);

    /// <summary>Where each online member's sockets are: events go to these gateways, one call each.</summary>
    private readonly Dictionary<Guid, MemberSessions> _routes = [];
    private readonly Dictionary<Guid, (bool IsTyping, DateTimeOffset At)> _typing = [];

    /// <summary>Members whose user grain failed to say where their sockets are.</summary>
    private readonly HashSet<Guid> _unrouted = [];
    private bool _askingUnrouted;

    public Task<bool> IsMemberAsync(Guid userId) => Task.FromResult(Exists && Chat.Members.ContainsKey(userId));

    public Task TypingAsync(Guid userId, bool isTyping)
    {
        if (!Exists || !Chat.Members.ContainsKey(userId))
        {
            return Task.CompletedTask;
        }

        var now = time.GetUtcNow();
        if (_typing.TryGetValue(userId, out var last) && last.IsTyping == isTyping && now - last.At < TypingInterval)
        {
            return Task.CompletedTask;
        }

        _typing[userId] = (isTyping, now);
        Publish(new UserTyping(ChatId, userId, isTyping), Chat.Members.Keys.Where(id => id != userId));
        return Task.CompletedTask;
    }

    public Task MemberSessionsAsync(MemberSessions sessions)
    {
        if (!Exists || !Chat.Members.ContainsKey(sessions.UserId))
        {
            return Task.CompletedTask;
        }

        var wasOnline = IsOnline(sessions.UserId);
        if (_routes.TryGetValue(sessions.UserId, out var known) && known.Epoch >= sessions.Epoch)
        {
            return Task.CompletedTask;
        }

        _routes[sessions.UserId] = sessions;
        _unrouted.Remove(sessions.UserId);
        if (wasOnline != sessions.IsOnline)
        {
            Publish(new PresenceChanged(sessions.UserId, sessions.IsOnline, sessions.Epoch), Chat.Members.Keys.Where(id => id != sessions.UserId));
        }

        return Task.CompletedTask;
    }

    private bool IsOnline(Guid userId) => _routes.TryGetValue(userId, out var sessions) && sessions.IsOnline;

    /// <summary>
    /// Asks the given members' user grains where their sockets are (on activation, and for new members). A member whose
    /// grain cannot answer (its silo just failed) costs the chat nothing but that member's route: it is asked again
    /// before the chat's next event, and a change of its sessions reaches the chat on its own anyway.
    /// </summary>
    private Task LoadRoutesAsync(IEnumerable<Guid> userIds) => Task.WhenAll(userIds.Select(LoadRouteAsync));

    private async Task LoadRouteAsync(Guid userId)
    {
        MemberSessions member;
        try
        {
            member = await GrainFactory.GetUser(userId).GetSessionsAsync();
        }
        catch (Exception e)
        {
            _unrouted.Add(userId);
            LogRouteUnknown(logger, ChatId, userId, e.GetType().Name);
            return;
        }

        _unrouted.Remove(userId);
        if (Chat.Members.ContainsKey(userId) && (!_routes.TryGetValue(userId, out var known) || known.Epoch < member.Epoch))
        {
            _routes[userId] = member;
        }
    }

    /// <summary>Not awaited: the event at hand goes out with the routes known now; the next one finds the rest.</summary>
    private void AskUnroutedMembersAgain()
    {
        if (_unrouted.Count == 0 || _askingUnrouted)
        {
            return;
        }

        _askingUnrouted = true;
        _ = AskAsync([.. _unrouted.Where(Chat.Members.ContainsKey)]);

        async Task AskAsync(Guid[] userIds)
        {
            try
            {
                await LoadRoutesAsync(userIds);
            }
            finally
            {
                _askingUnrouted = false;
            }
        }
    }

    /// <summary>
    /// One call per gateway that holds sockets of any target, naming the targets there. Not awaited:
    /// neither a slow gateway nor a dead one delays the chat; a gateway whose call fails is forgotten.
    /// </summary>
    private void Publish(ChatEvent chatEvent, IEnumerable<Guid> targets)
    {
        AskUnroutedMembersAgain();
        var byGateway = new Dictionary<IGatewayObserver, ImmutableArray<Guid>.Builder>();
        foreach (var userId in targets)
        {
            if (!_routes.TryGetValue(userId, out var sessions))
            {
                continue;
            }

            foreach (var gateway in sessions.Gateways)
            {
                if (!byGateway.TryGetValue(gateway, out var users))
                {
                    byGateway[gateway] = users = ImmutableArray.CreateBuilder<Guid>();
                }

                users.Add(userId);
            }
        }

        foreach (var (gateway, users) in byGateway)
        {
            _ = PushAsync(gateway, chatEvent, users.ToImmutable());
        }
    }

    private void PublishToMembers(ChatEvent chatEvent) => Publish(chatEvent, Chat.Members.Keys);

    private async Task PushAsync(IGatewayObserver gateway, ChatEvent chatEvent, ImmutableArray<Guid> users)
    {
        try
        {
            await gateway.DeliverAsync(chatEvent, users);
        }
        catch (Exception e) when (GatewayFailures.MeansGone(e))
        {
            // Forget the gateway here and tell its users' grains, which tell their other chats. A gateway
            // that is still alive re-subscribes its users at its next renewal, and the routes come back.
            SafeGramMetrics.ObserverFailures.Add(1);
            foreach (var (userId, sessions) in _routes.ToList())
            {
                if (sessions.Gateways.Contains(gateway))
                {
                    _routes[userId] = sessions with { Gateways = sessions.Gateways.Remove(gateway) };
                    _ = GrainFactory.GetUser(userId).DisconnectAsync(gateway);
                }
            }
        }
        catch (TimeoutException)
        {
            SafeGramMetrics.ObserverFailures.Add(1);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat {ChatId} could not ask user {UserId} where its sockets are ({Error}); it asks again before its next event")]
    private static partial void LogRouteUnknown(ILogger logger, Guid chatId, Guid userId, string error);
}
