using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// The connection under a write breaks — before the statement reached PostgreSQL, or after it committed but before
/// its answer came back — as a network cut or a failover does. Either way the write is done exactly once and the
/// caller is told it succeeded: a registration, a grain's state, a send.
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
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _proxy.DisposeAsync();
    }

    [Theory]
    [InlineData(CutPoint.BeforeTheStatement)]
    [InlineData(CutPoint.AfterTheCommit)]
    public async Task Registration_IsCreatedOnce(CutPoint cut)
    {
        var username = "cut" + Guid.NewGuid().ToString("N")[..16];
        _proxy.Cut(username, cut);

        var registered = await Grains.GetGrain<IAccountDirectoryGrain>(0).RegisterAsync(new NewAccount(username, null, "hash"));

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(RegisterStatus.Created, registered.Status);
        Assert.Equal(registered.UserId, (await Grains.GetGrain<IAccountDirectoryGrain>(0).FindCredentialsAsync(username))?.UserId);
        Assert.Equal(1L, await TestInfrastructure.QueryScalarAsync<long>(_database, $"SELECT count(*) FROM accounts WHERE username = '{username}'"));
    }

    [Theory]
    [InlineData(CutPoint.BeforeTheStatement)]
    [InlineData(CutPoint.AfterTheCommit)]
    public async Task GrainStateWrite_IsKept_AndTheGrainWritesOn(CutPoint cut)
    {
        var userId = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var user = Grains.GetUser(userId);
        Guid first = Guid.NewGuid(), second = Guid.NewGuid();
        _proxy.Cut(first.ToString(), cut);

        await user.JoinedChatAsync(first);
        await user.JoinedChatAsync(second);   // with the version the first write left
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(new[] { first, second }.Order(), (await user.GetChatIdsAsync()).Order());
    }

    [Theory]
    [InlineData(CutPoint.BeforeTheStatement)]
    [InlineData(CutPoint.AfterTheCommit)]
    public async Task Send_IsStoredOnce_AndTheChatGoesOn(CutPoint cut)
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var text = "cut " + Guid.NewGuid();
        _proxy.Cut(text, cut);

        var sent = await chat.SendAsync(users[0], text);
        var next = await chat.SendAsync(users[1], "after the cut");
        await Grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

        Assert.Equal(1, _proxy.Cuts);
        Assert.Equal(sent.Seq + 1, next.Seq);
        Assert.Equal([text, "after the cut"], (await chat.PageAsync(users[1], new(Limit: 50))).Select(m => m.Text));
    }
}
