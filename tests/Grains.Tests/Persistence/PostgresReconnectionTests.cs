using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
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
        var grainState = new NpgsqlConnectionStringBuilder(database) { ApplicationName = "grain-state" }.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { ApplicationName = "log" }.ConnectionString);
        await using (await dataSource.OpenConnectionAsync())
        await using (var connection = new NpgsqlConnection(grainState))
        {
            await connection.OpenAsync();
        }

        var before = await ConnectionsAsync(database);
        new PostgresReconnection(dataSource, grainState, NullLogger<PostgresReconnection>.Instance).Reconnect(new EndOfStreamException());
        var after = await ConnectionsAsync(database);

        Assert.Equal(["grain-state", "log"], before);
        Assert.Empty(after);
    }

    [Fact]
    public async Task Reconnect_RightAfterAnother_LeavesTheNewConnectionsOpen()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(database) { ApplicationName = "log" }.ConnectionString);
        var reconnection = new PostgresReconnection(dataSource, database, NullLogger<PostgresReconnection>.Instance);
        reconnection.Reconnect(new EndOfStreamException());
        await using (await dataSource.OpenConnectionAsync())
        {
        }

        reconnection.Reconnect(new EndOfStreamException());   // an older connection's failure, reported late

        Assert.Equal(["log"], await ConnectionsAsync(database));
    }

    [Fact]
    public async Task CheckedWrite_RunsAgainOnlyWhenTheLookUpFindsNothing_ThreeRunsAtMost()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var dataSource = NpgsqlDataSource.Create(database);
        var reconnection = new PostgresReconnection(dataSource, database, NullLogger<PostgresReconnection>.Instance);
        var runs = new List<bool>();
        var found = false;
        Task<(bool, string)> LookUp(CancellationToken _) => Task.FromResult((found, "found"));
        Task<string> EndsUntilTheThirdRun(bool rerun, CancellationToken _)
        {
            runs.Add(rerun);
            return runs.Count < 3 ? throw Ended() : Task.FromResult("written");
        }

        Assert.Equal("written", await reconnection.RunCheckedWriteAsync(EndsUntilTheThirdRun, LookUp, CancellationToken.None));
        Assert.Equal([false, true, true], runs);

        runs.Clear();
        await Assert.ThrowsAsync<NpgsqlException>(() => reconnection.RunCheckedWriteAsync<string>((_, _) => throw Ended(), LookUp, CancellationToken.None));

        found = true;
        Assert.Equal("found", await reconnection.RunCheckedWriteAsync(EndsUntilTheThirdRun, LookUp, CancellationToken.None));
        Assert.Single(runs);
    }

    /// <summary>The connections open to the database, once closed ones have had a moment to leave.</summary>
    private static async Task<string[]> ConnectionsAsync(string database)
    {
        for (var wait = 0; ; wait++)
        {
            var names = await TestInfrastructure.ConnectionsToAsync(database);
            if (names.Length == 0 || wait == 40)
            {
                return names;
            }

            await Task.Delay(50);   // a closed connection's backend takes a moment to leave pg_stat_activity
        }
    }

    private static NpgsqlException Ended() => new("Exception while reading from stream", new EndOfStreamException());

    private static PostgresException Postgres(string sqlState) => new("test", "FATAL", "FATAL", sqlState);
}
