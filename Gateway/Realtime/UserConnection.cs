using System.Collections.Concurrent;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// This gateway's observer of one user: subscribed once with the user's grain however many sockets the
/// user has here, so each event is serialized once and reaches each socket exactly once.
/// </summary>
internal sealed class UserConnection(Guid userId, EventFrames frames) : IUserSessionObserver
{
    private readonly ConcurrentDictionary<SocketSession, byte> _sockets = new();

    public Guid UserId => userId;

    /// <summary>The reference the user grain calls; set once the subscription is made.</summary>
    public IUserSessionObserver? Reference { get; set; }

    public bool IsEmpty => _sockets.IsEmpty;

    public IEnumerable<SocketSession> Sockets => _sockets.Keys;

    public void Add(SocketSession socket) => _sockets.TryAdd(socket, 0);

    public void Remove(SocketSession socket) => _sockets.TryRemove(socket, out _);

    public Task OnEventAsync(ChatEvent chatEvent)
    {
        var frame = frames.Serialize(chatEvent);
        var delivered = 0;
        foreach (var socket in _sockets.Keys)
        {
            socket.Enqueue(frame);
            delivered++;
        }

        SafeGramMetrics.EventsDelivered.Add(delivered);

        return Task.CompletedTask;
    }
}
