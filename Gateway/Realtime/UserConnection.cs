using System.Collections.Concurrent;
using System.Collections.Immutable;

namespace SafeGram.Gateway.Realtime;

/// <summary>The sockets one user has on this gateway; the user's grain knows this gateway once, however many there are.</summary>
internal sealed class UserConnection
{
    // Copy-on-write: sockets come and go rarely, while every delivery walks the list; an array is walked without
    // locks or allocations (a concurrent dictionary's Keys locks every bucket and copies them into a new list).
    private ImmutableArray<SocketSession> _sockets = [];
    private ConcurrentDictionary<Guid, long>? _presenceSeen;
    private Task _lastChange = Task.CompletedTask;
    private Task _subscribed = Task.CompletedTask;

    public bool IsEmpty => _sockets.IsEmpty;

    public ImmutableArray<SocketSession> Sockets => _sockets;

    public void Add(SocketSession socket) => ImmutableInterlocked.Update(ref _sockets, static (all, added) => all.Add(added), socket);

    public void Remove(SocketSession socket) => ImmutableInterlocked.Update(ref _sockets, static (all, removed) => all.Remove(removed), socket);

    /// <summary>
    /// Completes when the subscribe asked for by the socket that found the user without sockets has been made (or has
    /// failed). Later sockets wait for it, not for renewals.
    /// </summary>
    public Task Subscribed => Volatile.Read(ref _subscribed);

    /// <summary>Makes <paramref name="change"/> the latest subscription change; returns the one it must wait for.</summary>
    public Task Follow(Task change) => Interlocked.Exchange(ref _lastChange, change);

    public void Subscribing(Task subscribe) => Volatile.Write(ref _subscribed, subscribe);

    /// <summary>
    /// Called when <paramref name="change"/> is done, so that a user at rest holds no finished tasks. <c>true</c> when it
    /// was the latest change: nothing is left to wait for.
    /// </summary>
    public bool TrySettle(Task change)
    {
        Interlocked.CompareExchange(ref _subscribed, Task.CompletedTask, change);
        return Interlocked.CompareExchange(ref _lastChange, Task.CompletedTask, change) == change;
    }

    /// <summary>Queues a frame on every socket; returns how many.</summary>
    public int Enqueue(byte[] frame)
    {
        var sockets = _sockets;
        foreach (var socket in sockets)
        {
            socket.Enqueue(frame);
        }

        return sockets.Length;
    }

    /// <summary>
    /// Presence of a contact arrives once per shared chat; the user hears each change once.
    /// <c>true</c> when <paramref name="epoch"/> is newer than what this user was last told about <paramref name="contactId"/>.
    /// </summary>
    public bool IsNewPresence(Guid contactId, long epoch)
    {
        var presenceSeen = LazyInitializer.EnsureInitialized(ref _presenceSeen);
        while (true)
        {
            if (presenceSeen.TryGetValue(contactId, out var seen))
            {
                if (seen >= epoch)
                {
                    return false;
                }

                if (presenceSeen.TryUpdate(contactId, epoch, seen))
                {
                    return true;
                }
            }
            else if (presenceSeen.TryAdd(contactId, epoch))
            {
                return true;
            }
        }
    }
}
