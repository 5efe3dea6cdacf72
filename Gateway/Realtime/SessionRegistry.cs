using System.Collections.Concurrent;
using System.Net.WebSockets;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// The sockets this gateway holds, grouped by user. The first socket of a user tells the user's grain
/// that this gateway holds the user; the last one takes that back. One observer stands for the gateway.
/// </summary>
internal sealed partial class SessionRegistry(IGrainFactory grains, EventFrames frames, ILogger<SessionRegistry> logger)
{
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, UserConnection> _users = new();
    private GatewayObserver? _observer;   // held strongly: the runtime keeps only a weak reference to it
    private IGatewayObserver? _reference;

    public UserConnection? Find(Guid userId) => _users.GetValueOrDefault(userId);

    /// <summary>Adds the socket; completes once the user's grain routes this user's events to this gateway.</summary>
    public async Task AttachAsync(Guid userId, SocketSession socket)
    {
        TaskCompletionSource? subscribing = null;
        UserConnection? connection;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out connection))
            {
                subscribing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                connection = new UserConnection(subscribing.Task);
                _users[userId] = connection;
            }

            connection.Add(socket);
        }

        if (subscribing is not null)
        {
            await ConnectAsync(userId);
            subscribing.SetResult();
        }

        // A second socket of the same user waits for the first one's subscription too.
        await connection.Subscribed;
    }

    public async Task DetachAsync(Guid userId, SocketSession socket)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var connection))
            {
                return;
            }

            connection.Remove(socket);
            if (!connection.IsEmpty)
            {
                return;
            }

            _users.TryRemove(userId, out _);
        }

        try
        {
            await grains.GetUser(userId).DisconnectAsync(Reference);
        }
        catch (Exception e)
        {
            // The subscription expires by itself; presence follows within the expiry.
            LogUnsubscribeFailed(logger, userId, e.GetType().Name);
        }
    }

    /// <summary>Renews every user's subscription (also re-creating those a failed silo lost).</summary>
    public Task RenewAllAsync() => Task.WhenAll(_users.Keys.Select(ConnectAsync));

    /// <summary>Closes every socket with <paramref name="status"/> (1001 at shutdown, so clients reconnect elsewhere).</summary>
    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var socket in _users.Values.SelectMany(c => c.Sockets))
        {
            socket.RequestClose(status, reason);
        }
    }

    /// <summary>Created on first use: the cluster client must be connected before it can make references.</summary>
    private IGatewayObserver Reference
    {
        get
        {
            lock (_gate)
            {
                _observer ??= new GatewayObserver(this, frames);
                return _reference ??= grains.CreateObjectReference<IGatewayObserver>(_observer);
            }
        }
    }

    private async Task ConnectAsync(Guid userId)
    {
        try
        {
            await grains.GetUser(userId).ConnectAsync(Reference);
        }
        catch (Exception e)
        {
            // The socket stays: the next renewal subscribes it, and the client catches up by version.
            LogRenewFailed(logger, userId, e.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe user {UserId}: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Guid userId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe user {UserId}: {Error}")]
    private static partial void LogRenewFailed(ILogger logger, Guid userId, string error);
}
