using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>Observer subscription, renewal, expiry and dead-gateway cleanup on the user grain, and presence relay through chats.</summary>
[Collection(SessionClusterCollection.Name)]
public sealed class UserSessionTests(SessionClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private IUserSessionObserver Subscribe(RecordingObserver observer) =>
        fixture.Client.CreateObjectReference<IUserSessionObserver>(observer);

    [Fact]
    public async Task ConnectAndDisconnect_DriveOnline()
    {
        var user = Grains.GetUser((await ChatBuilder.RegisterUsersAsync(Grains, 1))[0]);
        var session = Subscribe(new RecordingObserver());

        await user.ConnectAsync(session);
        var online = await user.IsOnlineAsync();
        await user.DisconnectAsync(session);

        Assert.True(online);
        Assert.False(await user.IsOnlineAsync());
    }

    [Fact]
    public async Task Subscription_LivesWhileRenewed_AndExpiresWhenNot()
    {
        var user = Grains.GetUser((await ChatBuilder.RegisterUsersAsync(Grains, 1))[0]);
        var session = Subscribe(new RecordingObserver());
        await user.ConnectAsync(session);

        fixture.Time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(10));
        await user.ConnectAsync(session);   // the gateway's renewal
        fixture.Time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(10));
        var stillOnline = await user.IsOnlineAsync();
        fixture.Time.Advance(TimeSpan.FromSeconds(20));   // a crashed gateway renews no more

        Assert.True(stillOnline);
        Assert.False(await user.IsOnlineAsync());
    }

    [Fact]
    public async Task DeadGateway_IsDroppedAtItsFirstFailure_OthersStillServed()
    {
        var userId = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var user = Grains.GetUser(userId);
        var dead = new RecordingObserver(fail: true);
        var live = new RecordingObserver();
        await user.ConnectAsync(Subscribe(dead));
        await user.ConnectAsync(Subscribe(live));

        await user.DeliverAsync(new UserTyping(Guid.NewGuid(), Guid.NewGuid(), true));
        await live.WaitForAsync<UserTyping>();
        await Task.Delay(200);
        await user.DeliverAsync(new UserTyping(Guid.NewGuid(), Guid.NewGuid(), false));
        await live.WaitForAsync<UserTyping>(e => !e.IsTyping);

        Assert.Equal(1, dead.Calls);
        Assert.True(await user.IsOnlineAsync());
    }

    [Fact]
    public async Task Presence_RelayedOnceToUsersSharingChats_NotToStrangers()
    {
        var (first, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var second = Grains.GetGrain<Abstractions.Chats.IChatGrain>(Guid.NewGuid());
        await second.CreateAsync(new Abstractions.Chats.CreateChat(users[1], Abstractions.Chats.ChatType.Group, "again", [users[0]]));
        var stranger = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var friendSide = new RecordingObserver();
        var strangerSide = new RecordingObserver();
        await Grains.GetUser(users[1]).ConnectAsync(Subscribe(friendSide));
        await Grains.GetUser(stranger).ConnectAsync(Subscribe(strangerSide));

        await Grains.GetUser(users[0]).ConnectAsync(Subscribe(new RecordingObserver()));
        var online = await friendSide.WaitForAsync<PresenceChanged>(p => p.UserId == users[0]);
        await Task.Delay(300);

        Assert.True(online.IsOnline);
        Assert.Single(friendSide.Events.OfType<PresenceChanged>(), p => p.UserId == users[0]);
        Assert.DoesNotContain(strangerSide.Events, e => e is PresenceChanged);
        Assert.True((await first.GetAsync(users[1])).Value!.Members.Single(m => m.UserId == users[0]).IsOnline);
    }
}
