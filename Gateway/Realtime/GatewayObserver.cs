using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// This gateway as grains see it: one observer for all its users. Each event is serialized once, then
/// queued on the sockets of the users the caller named. Calls may arrive concurrently.
/// </summary>
internal sealed class GatewayObserver(SessionRegistry registry, EventFrames frames) : IGatewayObserver
{
    public Task DeliverAsync(ChatEvent chatEvent, ImmutableArray<Guid> userIds)
    {
        byte[]? frame = null;
        var delivered = 0;
        foreach (var userId in userIds)
        {
            if (registry.Find(userId) is not { } connection
                || (chatEvent is PresenceChanged presence && !connection.IsNewPresence(presence.UserId, presence.Epoch)))
            {
                continue;
            }

            frame ??= frames.Serialize(chatEvent);
            delivered += connection.Enqueue(frame);
        }

        SafeGramMetrics.EventsDelivered.Add(delivered);
        return Task.CompletedTask;
    }
}
