using Orleans.Storage;
using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// The connection under a write breaks — before the statement reached PostgreSQL, after it committed but before its
/// answer came back, or while it still runs at the server (slowed by a trigger, so that it commits while the rerun
/// waits for it) — as a dropped connection or a failover does. Every way the write is done exactly once and the caller
/// is told it succeeded: a registration, a grain's state, a send, a reaction. A grain's state stored otherwise in the
/// meantime is a conflict instead.
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
            CREATE FUNCTION slow_reaction() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN PERFORM slow_down(NEW.emoji); RETURN NEW; END $$;
            CREATE TABLE rewritten_states (written text NOT NULL, stored text NOT NULL);
            CREATE FUNCTION slow_or_rewritten_state() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE rewrite record;
            BEGIN
                PERFORM slow_down(convert_from(NEW.payload, 'UTF8'));
                FOR rewrite IN SELECT * FROM rewritten_states LOOP
                    NEW.payload := convert_to(replace(convert_from(NEW.payload, 'UTF8'), rewrite.written, rewrite.stored), 'UTF8');
                END LOOP;
                RETURN NEW;
            END $$;
            CREATE TRIGGER slow_message BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION slow_message();
            CREATE TRIGGER slow_account BEFORE INSERT ON accounts FOR EACH ROW EXECUTE FUNCTION slow_account();
            CREATE TRIGGER slow_reaction BEFORE INSERT ON reactions FOR EACH ROW EXECUTE FUNCTION slow_reaction();
            CREATE TRIGGER slow_or_rewritten_state BEFORE INSERT OR UPDATE ON orleans_grain_state
                FOR EACH ROW EXECUTE FUNCTION slow_or_rewritten_state();
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
    [InlineData(CutPoint.BeforeTheStatement, false)]
    [InlineData(CutPoint.BeforeTheStatement, true)]
    [InlineData(CutPoint.AfterTheCommit, false)]
    [InlineData(CutPoint.AfterTheCommit, true)]
    [InlineData(CutPoint.WhileRunning, false)]
    [InlineData(CutPoint.WhileRunning, true)]
    public async Task GrainStateWrite_IsKept_AndTheGrainWritesOn(CutPoint cut, bool updatesTheRow)
    {
        var user = Grains.GetUser((await ChatBuilder.RegisterUsersAsync(Grains, 1))[0]);
        Guid earlier = Guid.NewGuid(), cutOne = Guid.NewGuid(), later = Guid.NewGuid();
        if (updatesTheRow)
        {
            await user.JoinedChatAsync(earlier);   // the user's state row exists from here on
        }

        await CutAsync(cutOne.ToString(), cut);
        await user.JoinedChatAsync(cutOne);
        await user.JoinedChatAsync(later);     // with the version the cut write left
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(1, _proxy.Cuts);
        Guid[] expected = updatesTheRow ? [earlier, cutOne, later] : [cutOne, later];
        Assert.Equal(expected.Order(), (await user.GetChatIdsAsync()).Order());
    }

    [Fact]
    public async Task GrainStateWrite_StoredOtherwiseMeanwhile_IsAConflict_AndTheGrainReloads()
    {
        var user = Grains.GetUser((await ChatBuilder.RegisterUsersAsync(Grains, 1))[0]);
        Guid written = Guid.NewGuid(), storedInstead = Guid.NewGuid();

        // As if another writer came between: the row holds a newer version, but not the state this write sent.
        await TestInfrastructure.ExecuteAsync(_database, $"INSERT INTO rewritten_states VALUES ('{written}', '{storedInstead}')");
        await CutAsync(written.ToString(), CutPoint.AfterTheCommit);

        await Assert.ThrowsAsync<InconsistentStateException>(() => user.JoinedChatAsync(written));
        Assert.Equal([storedInstead], (await user.GetChatIdsAsync()).ToArray());
    }

    [Fact]
    public async Task Reaction_WhoseFirstRunCommitsWhileTheRerunWaits_IsSetOnce()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var message = await chat.SendAsync(users[0], "react to this");
        const string Emoji = "🎉";
        await CutAsync(Emoji, CutPoint.WhileRunning);

        var reacted = await chat.ReactAsync(users[1], message.Id, Emoji);
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(ChatOutcome.Ok, reacted.Outcome);
        Assert.Equal([(users[1], Emoji)], (await chat.PageAsync(users[1], new(Limit: 50))).Single().Reactions.Select(r => (r.UserId, r.Emoji)));
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
