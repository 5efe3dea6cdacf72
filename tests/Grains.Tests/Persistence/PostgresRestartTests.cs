using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Chats;
using SafeGram.Grains.Persistence;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// PostgreSQL ends every connection when it restarts or fails over, and Npgsql finds out that a pooled connection is
/// dead only when a statement uses it. After the restart no request may fail for that: sends, history reads, sign-in
/// look-ups and grain activations all succeed on the first try, and a send is stored once.
/// </summary>
public sealed class PostgresRestartTests
{
    private const string ServiceId = "postgres-restart-test";
    private const int Chats = 20;

    [Fact]
    public async Task EveryConnectionEnded_TheNextBurstOfRequestsAllSucceed()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await using var cluster = await PostgresClusters.StartAsync(database, silos: 1, ServiceId);
        var grains = cluster.Client;
        var usernames = Enumerable.Range(0, Chats).Select(i => $"r{i}_{Guid.NewGuid():N}"[..20]).ToArray();
        await Task.WhenAll(usernames.Select(name =>
            grains.GetGrain<IAccountDirectoryGrain>(0).RegisterAsync(new NewAccount(name, null, "hash"))));
        var chats = await Task.WhenAll(Enumerable.Range(0, Chats).Select(_ => ChatBuilder.CreateGroupAsync(grains, 2)));
        await Task.WhenAll(chats.Select(c => c.Chat.SendAsync(c.Users[1], "before the restart")));

        // Idle grains go, so the burst activates them again: state reads, the chats' log heads and windows.
        await grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var ended = await EndEveryConnectionAsync(database);

        var requests = chats.SelectMany((c, i) => new Func<Task>[]
        {
            () => c.Chat.SendAsync(c.Users[0], "after the restart"),
            () => c.Chat.PageAsync(c.Users[1], new MessageQuery(Limit: 50)),
            () => grains.GetUser(c.Users[1]).GetChatIdsAsync(),
            () => grains.GetGrain<IAccountDirectoryGrain>(0).FindCredentialsAsync(usernames[i]),
        }).ToArray();
        var failures = await FailuresAsync(requests);

        Assert.True(ended >= 4, $"the pools held {ended} connections; the test needs several to mean anything");
        // Whole messages, innermost cause included: xunit cuts each item of a collection it prints to 50 characters.
        Assert.True(failures.Length == 0, $"{failures.Length} of {requests.Length} requests failed:\n{string.Join('\n', failures)}");
        foreach (var (chat, users) in chats)
        {
            Assert.Equal(new[] { "before the restart", "after the restart" }, (await chat.PageAsync(users[1], new(Limit: 50))).Select(m => m.Text));
        }
    }

    [Fact]
    public async Task GroupCommits_EveryConnectionEnded_AreWrittenOnNewConnections_OnceEach()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(database, CancellationToken.None);
        await using var dataSource = NpgsqlDataSource.Create(database);
        await using var log = new PostgresMessageLog(
            dataSource, new PostgresReconnection(dataSource, dataSource, TimeProvider.System, NullLogger<PostgresReconnection>.Instance));
        await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            await using var hold = dataSource.CreateCommand("SELECT pg_sleep(0.2)");
            await hold.ExecuteNonQueryAsync();
        }));
        var ended = await EndEveryConnectionAsync(database);

        var chatId = Guid.NewGuid();
        var sent = Enumerable.Range(1, 8).Select(seq => new ChatMessage(
            Guid.NewGuid(), chatId, seq, Guid.NewGuid(), "sender", $"send {seq}", DateTimeOffset.UtcNow,
            EditedAt: null, DeletedAt: null, ReplyTo: null, ClientMessageId: null, Version: seq, Reactions: [])).ToArray();
        var inserted = await Task.WhenAll(sent.Select(m => log.InsertAsync(m, CancellationToken.None)));

        Assert.True(ended >= 8, $"the pool held {ended} connections");
        Assert.All(inserted, Assert.True);
        Assert.Equal(sent.Select(m => m.Id), (await log.GetAfterAsync(chatId, 0, 20, CancellationToken.None)).Select(m => m.Id));
    }

    /// <summary>What a restart does to a silo's pools: PostgreSQL ends every backend of the database.</summary>
    private static async Task<long> EndEveryConnectionAsync(string database)
    {
        // Asked from the administrator's database, so that the asking connection is not one of those ended.
        var name = new NpgsqlConnectionStringBuilder(database).Database;
        var ended = await TestInfrastructure.QueryScalarAsync<long>(TestInfrastructure.PostgresAdmin,
            $"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '{name}'");
        Assert.Empty(await TestInfrastructure.ConnectionsLeftAsync(database));

        return ended;
    }

    private static async Task<string[]> FailuresAsync(Func<Task>[] requests)
    {
        var outcomes = await Task.WhenAll(requests.Select(async request =>
        {
            try
            {
                await request();
                return null;
            }
            catch (Exception e)
            {
                var cause = e.GetBaseException();
                return $"{e.GetType().Name}: {e.Message} (cause: {cause.GetType().Name}: {cause.Message})";
            }
        }));
        return [.. outcomes.OfType<string>()];
    }
}
