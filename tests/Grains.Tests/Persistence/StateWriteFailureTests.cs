using Npgsql;
using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// PostgreSQL refuses a grain's state write (a trigger the test arms): what that write carried is neither kept in
/// memory nor half told, and retrying the same request finishes the job.
/// </summary>
public sealed class StateWriteFailureTests : IAsyncLifetime
{
    private const string ServiceId = "state-write-failure-test";

    private string _database = "";
    private InProcessTestCluster _cluster = null!;

    private IGrainFactory Grains => _cluster.Client;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        _cluster = await PostgresClusters.StartAsync(_database, silos: 1, ServiceId);
        await TestInfrastructure.ExecuteAsync(_database, """
            CREATE TABLE refused_state (grain_type text PRIMARY KEY);
            CREATE FUNCTION refuse_state_write() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM refused_state WHERE grain_type = NEW.grain_type) THEN
                    RAISE EXCEPTION 'the test refuses % state', NEW.grain_type;
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER refuse_state_write BEFORE INSERT OR UPDATE ON orleans_grain_state
                FOR EACH ROW EXECUTE FUNCTION refuse_state_write();
            """);
    }

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task AddMembers_WhenTheChatCannotBeSaved_AddsNobody_AndTheRetryAddsThem()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var newcomer = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];

        await RefuseAsync("chat");
        await AssertRefusedByTheDatabaseAsync(() => chat.AddMembersAsync(users[0], [newcomer]));
        await AllowAsync();

        Assert.Equal(ChatOutcome.Forbidden, (await chat.GetAsync(newcomer)).Outcome);
        Assert.Empty(await Grains.GetUser(newcomer).GetChatIdsAsync());
        Assert.Equal(ChatOutcome.Ok, (await chat.AddMembersAsync(users[0], [newcomer])).Outcome);
        Assert.Equal(ChatOutcome.Ok, (await chat.GetAsync(newcomer)).Outcome);
        Assert.Equal([chat.GetPrimaryKey()], (await Grains.GetUser(newcomer).GetChatIdsAsync()).ToArray());
    }

    [Fact]
    public async Task AddMembers_WhenANewMembersListCannotBeSaved_TheRetrySavesIt()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var newcomer = await ExistingUserAsync();

        await RefuseAsync("user");
        await AssertRefusedByTheDatabaseAsync(() => chat.AddMembersAsync(users[0], [newcomer]));
        await AllowAsync();

        Assert.Empty(await Grains.GetUser(newcomer).GetChatIdsAsync());
        Assert.Equal(ChatOutcome.Ok, (await chat.AddMembersAsync(users[0], [newcomer])).Outcome);
        await AssertSavedChatsAsync(newcomer, [chat.GetPrimaryKey()]);
    }

    [Fact]
    public async Task OpenDm_WhenTheUsersListsCannotBeSaved_OpeningItAgainSavesThem()
    {
        var (caller, other) = (await ExistingUserAsync(), await ExistingUserAsync());
        var dm = Grains.GetGrain<IChatGrain>(DmKeys.For(caller, other));

        await RefuseAsync("user");
        await AssertRefusedByTheDatabaseAsync(() => dm.OpenDmAsync(caller, other));
        await AllowAsync();

        Assert.Equal(ChatOutcome.Ok, (await dm.OpenDmAsync(caller, other)).Outcome);
        await AssertSavedChatsAsync(caller, [dm.GetPrimaryKey()]);
        await AssertSavedChatsAsync(other, [dm.GetPrimaryKey()]);
    }

    /// <summary>A registered user whose profile row exists already, so that refusing user state only refuses list changes.</summary>
    private async Task<Guid> ExistingUserAsync()
    {
        var userId = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        await Grains.GetUser(userId).GetChatIdsAsync();
        return userId;
    }

    /// <summary>What the database holds, read by a cluster started again on it.</summary>
    private async Task AssertSavedChatsAsync(Guid userId, Guid[] expected)
    {
        await _cluster.DisposeAsync();
        _cluster = await PostgresClusters.StartAsync(_database, silos: 1, ServiceId);
        Assert.Equal(expected, await Grains.GetUser(userId).GetChatIdsAsync());
    }

    /// <summary>The database's refusal reaches the caller as it is (Npgsql's exception, wrapped by the grain storage or not).</summary>
    private static async Task AssertRefusedByTheDatabaseAsync(Func<Task> call)
    {
        var failure = await Assert.ThrowsAnyAsync<Exception>(call);
        var chain = new List<Exception>();
        for (var e = failure; e is not null; e = e.InnerException)
        {
            chain.Add(e);
        }

        Assert.Contains(chain, e => e is NpgsqlException && e.Message.Contains("the test refuses", StringComparison.Ordinal));
    }

    private Task RefuseAsync(string grainType) =>
        TestInfrastructure.ExecuteAsync(_database, $"INSERT INTO refused_state VALUES ('{grainType}')");

    private Task AllowAsync() => TestInfrastructure.ExecuteAsync(_database, "DELETE FROM refused_state");
}
