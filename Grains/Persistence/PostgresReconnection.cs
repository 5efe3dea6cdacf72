using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SafeGram.Grains.Persistence;

/// <summary>
/// Recovers a silo from connections that ended: a restart, a failover, an operator ending backends, a connection
/// closed or reset on the way. Npgsql finds a pooled connection dead only when a statement uses it, so after a restart
/// requests failed one per dead connection (503s for a moment). The first such failure empties the silo's pools, so
/// later statements connect afresh, and a statement that can run twice with the effect of once (a read, a write of
/// absolute values) runs again at once, three runs at most.
/// Any other write may have committed before its connection ended: the database is asked whether it did before it
/// runs again (<see cref="RunCheckedWriteAsync{T}"/>), or it fails (<see cref="RunOnceAsync{T}"/>).
/// </summary>
internal sealed partial class PostgresReconnection(
    NpgsqlDataSource dataSource, NpgsqlDataSource grainState, TimeProvider time, ILogger<PostgresReconnection> logger)
{
    private const string AdminShutdown = "57P01";
    private const string CrashShutdown = "57P02";
    private const string IdleSessionTimeout = "57P05";
    private const string ConnectionExceptionClass = "08";

    /// <summary>Runs of work whose connections keep ending (a restart, then a failover) before it fails.</summary>
    private const int Runs = 3;

    /// <summary>
    /// Connections opened after a clear are new, so the failures of older ones that follow it need no clear of their
    /// own: clearing again would only close the connections just opened.
    /// </summary>
    private static readonly TimeSpan ClearInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _clearing = new();
    private long? _lastClearedAt;

    /// <summary>Whether <paramref name="error"/> (or an exception it wraps) says the connection it ran on has ended.</summary>
    public static bool IsEndedConnection(Exception error)
    {
        for (Exception? e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case PostgresException { SqlState: var state }:
                    return state is AdminShutdown or CrashShutdown or IdleSessionTimeout
                        || state.StartsWith(ConnectionExceptionClass, StringComparison.Ordinal);
                case NpgsqlException { InnerException: IOException or SocketException or EndOfStreamException }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Runs work that may run twice with the effect of once; when its connection had ended, empties the pools and runs
    /// it again, three runs at most. A rerun may still meet an ended connection: one returned to the pool while it was
    /// being emptied goes back in (Npgsql checks a connection against its clears when it comes back, not when it is
    /// handed out), and a failover ends the new connections too.
    /// </summary>
    public async Task<T> RunIdempotentAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var run = 1; ; run++)
        {
            try
            {
                return await work(cancellationToken);
            }
            catch (Exception e) when (run < Runs && IsEndedConnection(e))
            {
                Reconnect(e);
            }
        }
    }

    /// <inheritdoc cref="RunIdempotentAsync{T}"/>
    public Task RunIdempotentAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunIdempotentAsync(Completing(work), cancellationToken);

    /// <summary>
    /// Runs a write that may have committed although its connection ended before the answer came. After such an end
    /// (<see cref="Reconnect"/>) <paramref name="lookUp"/> asks the database: an outcome it finds is the answer; none, and
    /// the write runs again on a new connection, three runs at most. A first run still going on at the server (its client
    /// gone, it is not) may commit while a rerun waits for it, and so fail the rerun or change its answer: a rerun's
    /// outcome, or its failure, is the look-up's too when the look-up finds one.
    /// </summary>
    public async Task<T> RunCheckedWriteAsync<T>(
        Func<CancellationToken, Task<T>> write,
        Func<CancellationToken, Task<(bool Found, T Outcome)>> lookUp,
        CancellationToken cancellationToken)
    {
        for (var run = 1; ; run++)
        {
            T outcome;
            try
            {
                outcome = await write(cancellationToken);
            }
            catch (Exception e) when (IsEndedConnection(e))
            {
                Reconnect(e);
                if (await RunIdempotentAsync(lookUp, cancellationToken) is (true, var stored))
                {
                    return stored;
                }

                if (run == Runs)
                {
                    throw;
                }

                continue;
            }
            catch (Exception) when (run > 1)
            {
                if (await RunIdempotentAsync(lookUp, cancellationToken) is (true, var stored))
                {
                    return stored;
                }

                throw;
            }

            return run > 1 && await RunIdempotentAsync(lookUp, cancellationToken) is (true, var confirmed) ? confirmed : outcome;
        }
    }

    /// <summary>Runs work that must not run twice; when its connection had ended, empties the pools for what follows and rethrows.</summary>
    public async Task<T> RunOnceAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        try
        {
            return await work(cancellationToken);
        }
        catch (Exception e) when (IsEndedConnection(e))
        {
            Reconnect(e);
            throw;
        }
    }

    /// <inheritdoc cref="RunOnceAsync{T}"/>
    public Task RunOnceAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        RunOnceAsync(Completing(work), cancellationToken);

    /// <summary>
    /// Empties both of the silo's pools (message log and accounts; grain state): idle connections close now, busy ones
    /// when returned. A restart ends every connection, so one ended connection is reason enough to drop them all.
    /// </summary>
    public void Reconnect(Exception cause)
    {
        // Callers wait for a clear under way: until it ends, the pool may still hand out the old connections it closes.
        lock (_clearing)
        {
            if (_lastClearedAt is { } last && time.GetElapsedTime(last) < ClearInterval)
            {
                return;
            }

            dataSource.Clear();
            grainState.Clear();
            _lastClearedAt = time.GetTimestamp();
        }

        LogReconnecting(cause.GetType().Name, cause.Message);
    }

    /// <summary>The same work as a function with a (meaningless) result, so one retry path serves both shapes.</summary>
    private static Func<CancellationToken, Task<bool>> Completing(Func<CancellationToken, Task> work) => async ct =>
    {
        await work(ct);
        return true;
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "A PostgreSQL connection ended ({Error}: {Detail}); the silo's connection pools are emptied")]
    private partial void LogReconnecting(string error, string detail);
}
