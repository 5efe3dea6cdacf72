using System.Net.WebSockets;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// The sockets this gateway holds, grouped by user. The first socket of a user subscribes an observer
/// with the user's grain; the last one unsubscribes it and deletes the reference.
/// </summary>
internal sealed partial class SessionRegistry(IGrainFactory grains, EventFrames frames, ILogger<SessionRegistry> logger)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, UserConnection> _users = [];

    public int UserCount
    {
        get
        {
            lock (_gate)
            {
                return _users.Count;
            }
        }
    }

    public async Task AttachAsync(Guid userId, SocketSession socket)
    {
        UserConnection connection;
        bool isNew;
        lock (_gate)
        {
            isNew = !_users.TryGetValue(userId, out connection!);
            if (isNew)
            {
                connection = new UserConnection(userId, frames);
                _users[userId] = connection;
            }

            connection.Add(socket);
        }

        if (!isNew)
        {
            return;
        }

        connection.Reference = grains.CreateObjectReference<IUserSessionObserver>(connection);
        try
        {
            await grains.GetUser(userId).ConnectAsync(connection.Reference);
        }
        catch (Exception e)
        {
            // The socket stays: the next renewal subscribes it, and the client catches up by version.
            LogRenewFailed(logger, userId, e.GetType().Name);
        }
    }

    public async Task DetachAsync(Guid userId, SocketSession socket)
    {
        UserConnection? emptied = null;
        lock (_gate)
        {
            if (_users.TryGetValue(userId, out var connection))
            {
                connection.Remove(socket);
                if (connection.IsEmpty)
                {
                    _users.Remove(userId);
                    emptied = connection;
                }
            }
        }

        if (emptied?.Reference is { } reference)
        {
            try
            {
                await grains.GetUser(userId).DisconnectAsync(reference);
            }
            catch (Exception e)
            {
                // The subscription expires by itself; presence follows within the expiry.
                LogUnsubscribeFailed(logger, userId, e.GetType().Name);
            }
            finally
            {
                grains.DeleteObjectReference<IUserSessionObserver>(reference);
            }
        }
    }

    /// <summary>Renews every live subscription (also re-creating those a failed silo lost).</summary>
    public async Task RenewAllAsync()
    {
        UserConnection[] connections;
        lock (_gate)
        {
            connections = [.. _users.Values];
        }

        await Task.WhenAll(connections.Where(c => c.Reference is not null).Select(async connection =>
        {
            try
            {
                await grains.GetUser(connection.UserId).ConnectAsync(connection.Reference!);
            }
            catch (Exception e)
            {
                LogRenewFailed(logger, connection.UserId, e.GetType().Name);
            }
        }));
    }

    /// <summary>Closes every socket with <paramref name="status"/> (1001 at shutdown, so clients reconnect elsewhere).</summary>
    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        lock (_gate)
        {
            foreach (var socket in _users.Values.SelectMany(c => c.Sockets))
            {
                socket.RequestClose(status, reason);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe user {UserId}: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Guid userId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the subscription of user {UserId}: {Error}")]
    private static partial void LogRenewFailed(ILogger logger, Guid userId, string error);
}
