using System.Collections.Concurrent;

namespace SafeGram.Gateway.Realtime;

/// <summary>The sockets one user has on this gateway; the user's grain knows this gateway once, however many there are.</summary>
internal sealed class UserConnection(Task subscribed)
{
    private readonly ConcurrentDictionary<SocketSession, byte> _sockets = new();
    private readonly ConcurrentDictionary<Guid, long> _presenceSeen = new();

    /// <summary>Completes when the user's grain knows this gateway (a failed attempt is left to the renewals).</summary>
    public Task Subscribed => subscribed;

    public bool IsEmpty => _sockets.IsEmpty;

    public IEnumerable<SocketSession> Sockets => _sockets.Keys;

    public void Add(SocketSession socket) => _sockets.TryAdd(socket, 0);

    public void Remove(SocketSession socket) => _sockets.TryRemove(socket, out _);

    /// <summary>Queues a frame on every socket; returns how many.</summary>
    public int Enqueue(byte[] frame)
    {
        var queued = 0;
        foreach (var socket in _sockets.Keys)
        {
            socket.Enqueue(frame);
            queued++;
        }

        return queued;
    }

    /// <summary>
    /// Presence of a contact arrives once per shared chat; the user hears each change once.
    /// <c>true</c> when <paramref name="epoch"/> is newer than what this user was last told about <paramref name="contactId"/>.
    /// </summary>
    public bool IsNewPresence(Guid contactId, long epoch)
    {
        while (true)
        {
            if (_presenceSeen.TryGetValue(contactId, out var seen))
            {
                if (seen >= epoch)
                {
                    return false;
                }

                if (_presenceSeen.TryUpdate(contactId, epoch, seen))
                {
                    return true;
                }
            }
            else if (_presenceSeen.TryAdd(contactId, epoch))
            {
                return true;
            }
        }
    }
}
