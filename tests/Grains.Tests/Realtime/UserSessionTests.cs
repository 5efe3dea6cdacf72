using Microsoft.Extensions.DependencyInjection;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.Grains.Users;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>Gateway subscriptions on the user grain (renewal, expiry, dead-gateway cleanup) and the routes chats build from them.</summary>
[Collection(SessionClusterCollection.Name)]
public sealed class UserSessionTests(SessionClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    private SessionExpirySweep Sweep => fixture.Cluster.Silos[0].ServiceProvider.GetRequiredService<SessionExpirySweep>();

    private IGatewayObserver Subscribe(RecordingObserver observer) =>
        fixture.Client.CreateObjectReference<IGatewayObserver>(observer);

    [Fact]
    public async Task ConnectAndDisconnect_DriveTheSessions()
    {
        var user = Grains.GetUser((await ChatBuilder.RegisterUsersAsync(Grains, 1))[0]);
        var gateway = Subscribe(new RecordingObserver());

        await user.ConnectAsync(gateway);
        var connected = await user.GetSessionsAsync();
        await user.DisconnectAsync(gateway);
        var disconnected = await user.GetSessionsAsync();

        Assert.True(connected.IsOnline);
        Assert.Equal([gateway], connected.Gateways.ToArray());
        Assert.False(disconnected.IsOnline);
        Assert.True(disconnected.Epoch > connected.Epoch);
    }

    [Fact]
    public async Task Subscription_LivesWhileRenewed_AndExpiresWhenNot()
    {
        var user = Grains.GetUser((await ChatBuilder.RegisterUsersAsync(Grains, 1))[0]);
        var gateway = Subscribe(new RecordingObserver());
        await user.ConnectAsync(gateway);

        fixture.Time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(10));
        await user.ConnectAsync(gateway);   // the gateway's renewal
        fixture.Time.Advance(SessionTimings.Expiry - TimeSpan.FromSeconds(10));
        var stillOnline = (await user.GetSessionsAsync()).IsOnline;
        fixture.Time.Advance(TimeSpan.FromSeconds(20));   // a crashed gateway renews no more

        Assert.True(stillOnline);
        Assert.False((await user.GetSessionsAsync()).IsOnline);
    }

    [Fact]
    public async Task SilentGateway_IsSweptAway_AndChatsHearTheUserWentOffline()
    {
        var (_, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var friend = Grains.GetUser(users[1]);
        var friendSide = new RecordingObserver();
        var friendGateway = Subscribe(friendSide);
        await friend.ConnectAsync(friendGateway);
        await Task.Delay(200);   // the friend's route reaches the chat
        await Grains.GetUser(users[0]).ConnectAsync(Subscribe(new RecordingObserver()));   // and never renews
        await friendSide.WaitForAsync<PresenceChanged>(users[1], p => p.UserId == users[0] && p.IsOnline);

        for (var elapsed = TimeSpan.Zero; elapsed < SessionTimings.Expiry + SessionTimings.Renewal; elapsed += SessionTimings.Renewal)
        {
            await friend.ConnectAsync(friendGateway);   // the friend's gateway keeps renewing
            fixture.Time.Advance(SessionTimings.Renewal);
        }

        var offline = await friendSide.WaitForAsync<PresenceChanged>(users[1], p => p.UserId == users[0] && !p.IsOnline);
        Assert.False(offline.IsOnline);
        Assert.False(Sweep.IsScheduled(users[0]));
        Assert.True(Sweep.IsScheduled(users[1]));
    }

    [Fact]
    public async Task Sweep_WatchesAUserOnlyWhileItHasSessions()
    {
        var userId = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var user = Grains.GetUser(userId);
        var gateway = Subscribe(new RecordingObserver());

        await user.ConnectAsync(gateway);
        var watchedWhileConnected = Sweep.IsScheduled(userId);
        await user.DisconnectAsync(gateway);
        var watchedAfterDisconnect = Sweep.IsScheduled(userId);
        await user.ConnectAsync(gateway);
        await fixture.Cluster.DeactivateAsync(((GrainReference)user).GrainId);

        Assert.True(watchedWhileConnected);
        Assert.False(watchedAfterDisconnect);
        Assert.False(Sweep.IsScheduled(userId));
    }

    [Fact]
    public async Task DeadGateway_FailingAChatsPush_IsDroppedFromThatChatAndItsUsers()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 3);
        var dead = new RecordingObserver(fail: true);
        var live = new RecordingObserver();
        var deadReference = Subscribe(dead);
        var liveReference = Subscribe(live);
        await Grains.GetUser(users[1]).ConnectAsync(deadReference);
        await Grains.GetUser(users[2]).ConnectAsync(deadReference);
        await Grains.GetUser(users[2]).ConnectAsync(liveReference);
        await Task.Delay(200);   // routes reach the chat

        // Presence and this message reach the chat's members through both gateways; the dead one fails its push.
        await chat.SendAsync(users[0], "fails on the dead gateway");
        await live.WaitForAsync<MessagePosted>(users[2]);
        for (var i = 0; i < 100 && (await Grains.GetUser(users[1]).GetSessionsAsync()).IsOnline; i++)
        {
            await Task.Delay(50);   // the failure comes back asynchronously, then reaches the users' grains
        }

        var sent = await chat.SendAsync(users[0], "only the live gateway is asked");
        await live.WaitForAsync<MessagePosted>(users[2], e => e.Message.Id == sent.Id);

        Assert.NotEmpty(dead.Attempts);
        Assert.DoesNotContain(dead.Attempts, e => e is MessagePosted posted && posted.Message.Id == sent.Id);
        Assert.False((await Grains.GetUser(users[1]).GetSessionsAsync()).IsOnline);
        Assert.Equal(liveReference, Assert.Single((await Grains.GetUser(users[2]).GetSessionsAsync()).Gateways));
    }

    [Fact]
    public async Task ChatActivation_AMemberWhoseGrainCannotAnswer_CostsOnlyThatMembersRoute_UntilItIsAskedAgain()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 3);
        var unreachableSide = new RecordingObserver();
        var otherSide = new RecordingObserver();
        await Grains.GetUser(users[1]).ConnectAsync(Subscribe(unreachableSide));
        await Grains.GetUser(users[2]).ConnectAsync(Subscribe(otherSide));
        await fixture.Cluster.DeactivateAsync(((GrainReference)chat).GrainId);
        fixture.UnreachableUsers[users[1]] = true;

        ChatMessage whileUnreachable;
        try
        {
            whileUnreachable = await chat.SendAsync(users[0], "the chat activates without one member's route");
        }
        finally
        {
            fixture.UnreachableUsers.TryRemove(users[1], out _);
        }

        await otherSide.WaitForAsync<MessagePosted>(users[2], e => e.Message.Id == whileUnreachable.Id);
        ChatMessage? heard = null;
        for (var i = 0; i < 20 && heard is null; i++)
        {
            var sent = await chat.SendAsync(users[0], $"asked again before this event ({i})");
            await Task.Delay(50);
            heard = unreachableSide.EventsFor<MessagePosted>(users[1]).Select(e => e.Message).FirstOrDefault(m => m.Id == sent.Id);
        }

        Assert.NotNull(heard);
        Assert.DoesNotContain(unreachableSide.EventsFor<MessagePosted>(users[1]), e => e.Message.Id == whileUnreachable.Id);
    }

    [Fact]
    public async Task BusyGateway_TimingOut_KeepsItsUsersRoutes()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var busy = new RecordingObserver(timeOutFirst: 2);
        await Grains.GetUser(users[1]).ConnectAsync(Subscribe(busy));
        await Task.Delay(200);   // routes reach the chat

        await chat.SendAsync(users[0], "lost to the timeout");
        await chat.TypingAsync(users[0], true);   // the second push to time out
        for (var i = 0; i < 100 && busy.Calls < 2; i++)
        {
            await Task.Delay(50);
        }

        await Task.Delay(200);   // a drop, had there been one, would have reached the chat by now
        var sent = await chat.SendAsync(users[0], "heard once the gateway keeps up");

        await busy.WaitForAsync<MessagePosted>(users[1], e => e.Message.Id == sent.Id);
        Assert.Single((await Grains.GetUser(users[1]).GetSessionsAsync()).Gateways);
    }

    [Fact]
    public async Task ChatEvents_GoOncePerGateway_NamingItsMembers()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 3);
        var gatewayA = new RecordingObserver();
        var gatewayB = new RecordingObserver();
        var referenceA = Subscribe(gatewayA);
        await Grains.GetUser(users[0]).ConnectAsync(referenceA);
        await Grains.GetUser(users[1]).ConnectAsync(referenceA);
        await Grains.GetUser(users[2]).ConnectAsync(Subscribe(gatewayB));
        await Task.Delay(200);   // routes reach the chat

        var sent = await chat.SendAsync(users[0], "to every gateway once");
        await gatewayA.WaitForAsync<MessagePosted>(users[1]);
        await gatewayB.WaitForAsync<MessagePosted>(users[2]);

        var onA = gatewayA.Deliveries.Where(d => d.Event is MessagePosted m && m.Message.Id == sent.Id).ToList();
        Assert.Single(onA);
        Assert.Equal(new[] { users[0], users[1] }.Order(), onA[0].Users.Order());
        Assert.Equal([users[2]], gatewayB.Deliveries.Single(d => d.Event is MessagePosted).Users.ToArray());
    }

    [Fact]
    public async Task Presence_GoesToUsersSharingChats_NotToStrangers()
    {
        var (first, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var stranger = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var friendSide = new RecordingObserver();
        var strangerSide = new RecordingObserver();
        await Grains.GetUser(users[1]).ConnectAsync(Subscribe(friendSide));
        await Grains.GetUser(stranger).ConnectAsync(Subscribe(strangerSide));
        await Task.Delay(200);

        await Grains.GetUser(users[0]).ConnectAsync(Subscribe(new RecordingObserver()));
        var online = await friendSide.WaitForAsync<PresenceChanged>(users[1], p => p.UserId == users[0]);
        await Task.Delay(300);

        Assert.True(online.IsOnline);
        Assert.DoesNotContain(strangerSide.Deliveries, d => d.Event is PresenceChanged);
        Assert.True((await first.GetAsync(users[1])).Value!.Members.Single(m => m.UserId == users[0]).IsOnline);
    }
}
