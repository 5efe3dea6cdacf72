using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// The connection under a write breaks — before the statement reached PostgreSQL, after it committed but before its
/// answer came back, or while it still runs at the server (slowed by a trigger, so that it commits while the rerun
/// waits for it) — as a dropped connection or a failover does. Every way the write is done exactly once and the caller
/// is told it succeeded: a registration, a grain's state, a send.
/// </summary>
public sealed class CutConnectionTests : IAsyncLifetime
{
    private const string ServiceId = "cut-connection-test";

    private string _database = "";
    private ConnectionCuttingProxy _proxy = null!;
    private InProcessTestCluster _cluster = null!;

    private IGrainFactory Grains => _cluster.Client;

    public async Task InitializeAsync()
    {
        _database = await TestInfrastructure.CreateDatabaseAsync();
        _proxy = ConnectionCuttingProxy.Start(_database);
        _cluster = await PostgresClusters.StartAsync(_proxy.ConnectionString, silos: 1, ServiceId);
        await TestInfrastructure.ExecuteAsync(_database, """
            CREATE TABLE slow_markers (marker text NOT NULL);
            CREATE FUNCTION slow_down(val text) RETURNS void LANGUAGE plpgsql AS $$
            BEGIN
                IF EXISTS (SELECT 1 FROM slow_markers WHERE strpos(val, marker) > 0) THEN
                    PERFORM pg_sleep(1);
                END IF;
            END $$;
            CREATE FUNCTION slow_message() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM slow_down(NEW.text); RETURN NEW; END $$;
            CREATE FUNCTION slow_account() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM slow_down(NEW.username); RETURN NEW; END $$;
            CREATE FUNCTION slow_state() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM slow_down(convert_from(NEW.payload, 'UTF8')); RETURN NEW; END $$;
            CREATE TRIGGER slow_message BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION slow_message();
            CREATE TRIGGER slow_account BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION slow_account();
            CREATE TRIGGER slow_state BEFORE INSERT OR UPDATE ON orleans_grain_state FOR EACH ROW EXECUTE FUNCTION slow_state();
            """);
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Theory]
    [InlineData(CutPoint.BeforeTheStatement)]
    [InlineData(CutPoint.AfterTheCommit)]
    [InlineData(CutPoint.WhileRunning)]
    public async Task Registration_IsCreatedOnce(CutPoint cut)
    {
        var username = "cut" + Guid.NewGuid().ToString("N")[..16];
        await CutAsync(username, cut);

        var registered = await Grains.GetGrain<IAccountDirectoryGrain>(0).RegisterAsync(new NewAccount(username, null, "hash"));

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(RegisterStatus.Created, registered.Status);
        Assert.Equal(registered.UserId, (await Grains.GetGrain<IAccountDirectoryGrain>(0).FindCredentialsAsync(username))?.UserId);
        Assert.Equal(1L, await TestInfrastructure.QueryScalarAsync<long>(_database, $"SELECT count(*) FROM accounts WHERE username = '{username}'"));
    }

    [Theory]
    [InlineData(CutPoint.BeforeTheStatement)]
    [InlineData(CutPoint.AfterTheCommit)]
    [InlineData(CutPoint.WhileRunning)]
    public async Task GrainStateWrite_IsKept_AndTheGrainWritesOn(CutPoint cut)
    {
        var userId = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var user = Grains.GetUser(userId);
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        await CutAsync(first.ToString(), cut);

        await user.JoinedChatAsync(first);
        await user.JoinedChatAsync(second);   // with the version the first write left
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(new[] { first, second }.Order(), (await user.GetChatIdsAsync()).Order());
    }

    [Theory]
    [InlineData(CutPoint.BeforeTheStatement, null)]
    [InlineData(CutPoint.AfterTheCommit, null)]
    [InlineData(CutPoint.AfterTheCommit, "client-1")]
    [InlineData(CutPoint.WhileRunning, null)]
    [InlineData(CutPoint.WhileRunning, "client-1")]
    public async Task Send_IsStoredOnce_AndTheChatGoesOn(CutPoint cut, string? clientMessageId)
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var text = "cut " + Guid.NewGuid();
        await CutAsync(text, cut);

        var sent = await chat.SendAsync(users[0], text, clientMessageId);
        var next = await chat.SendAsync(users[1], "after the cut");
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(sent.Seq + 1, next.Seq);
        Assert.Equal([text, "after the cut"], (await chat.PageAsync(users[1], new(Limit: 50))).Select(m => m.Text));
    }

    /// <summary>Cuts the connection of the statement carrying <paramref name="marker"/>; one cut while it runs also slows it down.</summary>
    private async Task CutAsync(string marker, CutPoint cut)
    {
        if (cut == CutPoint.WhileRunning)
        {
            await TestInfrastructure.ExecuteAsync(_database, $"INSERT INTO slow_markers VALUES ('{marker}')");
        }

        _proxy.Cut(marker, cut);
    }
}
