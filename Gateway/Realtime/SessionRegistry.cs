using System.Collections.Concurrent;
using System.Net.WebSockets;
using SafeGram.Gateway.Hosting;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Realtime;

/// <summary>
/// The sockets this gateway holds, grouped by user. The first socket of a user tells the user's grain
/// that this gateway holds the user; the last one takes that back. One observer stands for the gateway.
/// </summary>
/// <remarks>
/// A user's subscription changes are made one after another, in the order they were asked for: a reconnect's
/// subscribe sent while the closed socket's unsubscribe is still on its way could otherwise reach the grain first,
/// and the unsubscribe arriving after it would leave the user offline, with an open socket, until the next renewal.
/// </remarks>
internal sealed partial class SessionRegistry(
    IGrainFactory grains,
    EventFrames frames,
    ClusterAvailability cluster,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<SessionRegistry> logger)
{
    /// <summary>
    /// A failed subscribe is tried again after ~1, ~2 and ~4 s; later failures wait for the next renewal, due by then.
    /// A user whose grain lived on a lost silo is unreachable until the cluster declares that silo dead. With no silo
    /// connected at all, only the renewals try.
    /// </summary>
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private const int Retries = 3;

    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<Guid, UserConnection> _users = new();
    private GatewayObserver? _observer;   // held strongly: the runtime keeps only a weak reference to it
    private IGatewayObserver? _reference;

    public UserConnection? Find(Guid userId) => _users.GetValueOrDefault(userId);

    /// <summary>Adds the socket; completes once the user's grain has been asked to route this user's events here.</summary>
    public async Task AttachAsync(Guid userId, SocketSession socket)
    {
        Task subscribed;
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var connection))
            {
                connection = new UserConnection();
                _users[userId] = connection;
            }

            var first = connection.IsEmpty;
            connection.Add(socket);
            if (first)
            {
                connection.Subscribing(QueueChange(userId, connection, subscribe: true, attempt: 0));
            }

            // A second socket of the same user waits for the first one's subscription too.
            subscribed = connection.Subscribed;
        }

        await subscribed;
    }

    public async Task DetachAsync(Guid userId, SocketSession socket)
    {
        Task unsubscribed;
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

            unsubscribed = QueueChange(userId, connection, subscribe: false, attempt: 0);
        }

        await unsubscribed;
    }

    /// <summary>Renews every user's subscription (also re-creating those a failed silo lost).</summary>
    public Task RenewAllAsync()
    {
        var renewals = new List<Task>(_users.Count);
        foreach (var (userId, connection) in _users)
        {
            renewals.Add(QueueChange(userId, connection, subscribe: true, attempt: 0));
        }

        return Task.WhenAll(renewals);
    }

    /// <summary>Closes every socket with <paramref name="status"/> (1001 at shutdown, so clients reconnect elsewhere).</summary>
    public void CloseAll(WebSocketCloseStatus status, string reason)
    {
        foreach (var socket in _users.Values.SelectMany(c => c.Sockets))
        {
            socket.RequestClose(status, reason);
        }
    }

    /// <summary>Created on first use: the cluster client must be connected before it can make references.</summary>
    private IGatewayObserver Reference => Volatile.Read(ref _reference) ?? CreateReference();

    private IGatewayObserver CreateReference()
    {
        lock (_gate)
        {
            _observer ??= new GatewayObserver(this, frames);
            return _reference ??= grains.CreateObjectReference<IGatewayObserver>(_observer);
        }
    }

    /// <summary>
    /// Queues a change behind the user's earlier ones. Changes that follow sockets coming and going are queued under the
    /// lock, so in the order the sockets came and went. Renewals and retries need not be: a subscribe is made only if the
    /// user still has a socket when its turn comes, and the socket leaving after that queues its unsubscribe behind it.
    /// </summary>
    private Task QueueChange(Guid userId, UserConnection connection, bool subscribe, int attempt)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = MakeChangeAsync(userId, connection, connection.Follow(done.Task), done, subscribe, attempt);
        return done.Task;
    }

    private async Task MakeChangeAsync(
        Guid userId, UserConnection connection, Task previous, TaskCompletionSource done, bool subscribe, int attempt)
    {
        // Yields even when nothing is pending: the caller may hold the lock, and no grain call is made under it.
        await previous.ConfigureAwait(ConfigureAwaitOptions.ForceYielding);
        try
        {
            if (!subscribe)
            {
                await UnsubscribeAsync(userId);
            }
            else if (!connection.IsEmpty && !await TrySubscribeAsync(userId, attempt) && attempt < Retries && cluster.IsConnected)
            {
                _ = RetryAsync(userId, connection, attempt + 1);
            }
        }
        finally
        {
            lock (_gate)
            {
                // The last change of a user without sockets was the unsubscribe (or came after it): the user is gone.
                if (connection.TrySettle(done.Task) && connection.IsEmpty)
                {
                    _users.TryRemove(new KeyValuePair<Guid, UserConnection>(userId, connection));
                }
            }

            done.SetResult();
        }
    }

    private async Task RetryAsync(Guid userId, UserConnection connection, int attempt)
    {
        // Spread out: the users a lost silo failed together are not all retried at the same moment.
        var delay = FirstRetry * (1 << (attempt - 1)) * (0.75 + (Random.Shared.NextDouble() / 2));
        try
        {
            await Task.Delay(delay, time, lifetime.ApplicationStopping);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await QueueChange(userId, connection, subscribe: true, attempt);
    }

    private async Task<bool> TrySubscribeAsync(Guid userId, int attempt)
    {
        try
        {
            await grains.GetUser(userId).ConnectAsync(Reference);
            return true;
        }
        catch (Exception e)
        {
            // The socket stays: a retry or the next renewal subscribes it, and the client catches up by version.
            if (attempt == 0)
            {
                LogSubscribeFailed(logger, userId, e.GetType().Name);
            }

            return false;
        }
    }

    private async Task UnsubscribeAsync(Guid userId)
    {
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not unsubscribe user {UserId}: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, Guid userId, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not subscribe user {UserId}: {Error}; trying again")]
    private static partial void LogSubscribeFailed(ILogger logger, Guid userId, string error);
}
