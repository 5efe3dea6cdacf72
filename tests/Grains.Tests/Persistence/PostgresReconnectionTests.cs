using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using SafeGram.Grains.Persistence;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// Which failures say that PostgreSQL ended the connection, wherever Orleans or Npgsql wrapped them; and that one empties
/// both of a silo's pools.
/// </summary>
public sealed class PostgresReconnectionTests
{
    public static TheoryData<Exception, bool> Failures => new()
    {
        { Postgres("57P01"), true },     // admin_shutdown: a restart, pg_terminate_backend
        { Postgres("57P02"), true },     // crash_shutdown
        { Postgres("57P05"), true },     // idle_session_timeout
        { Postgres("08006"), true },     // connection_failure
        { new NpgsqlException("Exception while reading from stream", new EndOfStreamException()), true },
        { new NpgsqlException("Exception while writing to stream", new IOException("broken pipe")), true },
        { new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused)), true },
        { new InvalidOperationException("storage failed", Postgres("57P01")), true },
        { Postgres("23505"), false },    // a taken key: the connection is fine
        { Postgres("57014"), false },    // query_canceled
        { new NpgsqlException("Exception while reading from stream", new TimeoutException()), false },
        { new TimeoutException(), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void IsEndedConnection(Exception failure, bool ended) =>
        Assert.Equal(ended, PostgresReconnection.IsEndedConnection(failure));

    [Fact]
    public async Task Reconnect_ClosesTheIdleConnectionsOfBothPools()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var grainState = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { ApplicationName = "grain-state" }.ConnectionString);
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { ApplicationName = "log" }.ConnectionString);
        foreach (var pool in new[] { dataSource, grainState })
        {
            await using var idleAfterThis = await pool.OpenConnectionAsync();
        }

        var before = await TestInfrastructure.ConnectionsToAsync(database);
        var reconnection = new PostgresReconnection(dataSource, grainState, TimeProvider.System, NullLogger<PostgresReconnection>.Instance);
        reconnection.Reconnect(new EndOfStreamException());
        var after = await TestInfrastructure.ConnectionsLeftAsync(database);

        Assert.Equal(["grain-state", "log"], before);
        Assert.Empty(after);
    }

    [Fact]
    public async Task Reconnect_RightAfterAnother_LeavesTheNewConnectionsOpen()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var time = new FakeTimeProvider();
        var reconnection = new PostgresReconnection(dataSource, dataSource, time, NullLogger<PostgresReconnection>.Instance);
        reconnection.Reconnect(new EndOfStreamException());
        var opened = await BackendOfTheNextConnectionAsync(dataSource);

        time.Advance(TimeSpan.FromMilliseconds(999));
        reconnection.Reconnect(new EndOfStreamException());   // an older connection's failure, reported late
        var afterTheLateFailure = await BackendOfTheNextConnectionAsync(dataSource);
        time.Advance(TimeSpan.FromMilliseconds(1));
        reconnection.Reconnect(new EndOfStreamException());   // a failure of its own

        Assert.Equal(opened, afterTheLateFailure);
        Assert.NotEqual(opened, await BackendOfTheNextConnectionAsync(dataSource));
    }

    [Fact]
    public async Task Reconnect_CalledAtOnce_ReturnsToEveryCallerOnlyOnceTheOldConnectionsAreGone()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        for (var round = 0; round < 20; round++)
        {
            var old = await OpenIdleConnectionsAsync(dataSource, 30);
            var reconnection = new PostgresReconnection(
                dataSource, dataSource, TimeProvider.System, NullLogger<PostgresReconnection>.Instance);
            using var go = new ManualResetEventSlim();
            var callers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
            {
                go.Wait();
                reconnection.Reconnect(new EndOfStreamException());
                await using var next = await dataSource.OpenConnectionAsync();
                return next.ProcessID;
            })).ToArray();
            go.Set();

            Assert.DoesNotContain(await Task.WhenAll(callers), old.Contains);
        }
    }

    [Fact]
    public async Task CheckedWrite_RunsAgainOnlyWhenTheLookUpFindsNothing_ThreeRunsAtMost()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var reconnection = new PostgresReconnection(dataSource, dataSource, TimeProvider.System, NullLogger<PostgresReconnection>.Instance);
        var runs = new List<bool>();
        var found = false;
        Task<(bool, string)> LookUp(CancellationToken _) => Task.FromResult((found, "found"));
        Task<string> EndsUntilTheThirdRun(CancellationToken _)
        {
            runs.Add(runs.Count > 0);   // whether this run is a rerun
            return runs.Count < 3 ? throw Ended() : Task.FromResult("written");
        }

        Assert.Equal("written", await reconnection.RunCheckedWriteAsync(EndsUntilTheThirdRun, LookUp, CancellationToken.None));
        Assert.Equal([false, true, true], runs);

        runs.Clear();
        await Assert.ThrowsAsync<NpgsqlException>(() => reconnection.RunCheckedWriteAsync<string>(_ => throw Ended(), LookUp, CancellationToken.None));

        found = true;
        Assert.Equal("found", await reconnection.RunCheckedWriteAsync(EndsUntilTheThirdRun, LookUp, CancellationToken.None));
        Assert.Single(runs);
    }

    [Fact]
    public async Task Idempotent_RunsAgainWhileItsConnectionsEnd_ThreeRunsAtMost()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var reconnection = new PostgresReconnection(dataSource, dataSource, TimeProvider.System, NullLogger<PostgresReconnection>.Instance);
        var runs = 0;
        Task<string> EndsUntilTheThirdRun(CancellationToken _) => ++runs < 3 ? throw Ended() : Task.FromResult("read");

        Assert.Equal("read", await reconnection.RunIdempotentAsync(EndsUntilTheThirdRun, CancellationToken.None));
        Assert.Equal(3, runs);

        runs = 0;
        await Assert.ThrowsAsync<NpgsqlException>(() => reconnection.RunIdempotentAsync<string>(_ => { runs++; throw Ended(); }, CancellationToken.None));
        Assert.Equal(3, runs);

        runs = 0;
        await Assert.ThrowsAsync<InvalidOperationException>(() => reconnection.RunIdempotentAsync<string>(_ => { runs++; throw new InvalidOperationException(); }, CancellationToken.None));
        Assert.Equal(1, runs);
    }

    private static async Task<int> BackendOfTheNextConnectionAsync(NpgsqlDataSource dataSource)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return connection.ProcessID;
    }

    /// <summary>Opens <paramref name="count"/> connections at once and returns them to the pool; their backends.</summary>
    private static async Task<HashSet<int>> OpenIdleConnectionsAsync(NpgsqlDataSource dataSource, int count)
    {
        var connections = await Task.WhenAll(Enumerable.Range(0, count).Select(_ => dataSource.OpenConnectionAsync().AsTask()));
        var ids = connections.Select(c => c.ProcessID).ToHashSet();
        foreach (var connection in connections)
        {
            await connection.DisposeAsync();
        }

        return ids;
    }

    private static NpgsqlException Ended() => new("Exception while reading from stream", new EndOfStreamException());

    private static PostgresException Postgres(string sqlState) => new("test", "FATAL", "FATAL", sqlState);
}
