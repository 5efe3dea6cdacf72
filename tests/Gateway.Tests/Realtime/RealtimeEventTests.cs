using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>
/// Every event of the contract reaches every socket of every member — sender and receivers on different
/// gateways, chats on either silo — and nobody else.
/// </summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class RealtimeEventTests(ProductionClusterFixture fixture)
{
    private readonly ApiClient _a = fixture.GatewayA.CreateApiClient();
    private readonly ApiClient _b = fixture.GatewayB.CreateApiClient();

    [Fact]
    public async Task ChatEvents_ReachMembersOnOtherGateways_OnEverySocketOnce()
    {
        var alice = await _a.RegisterAsync();
        var bob = await _b.RegisterAsync();
        await using var aliceSocket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);
        await using var bobOnB = await fixture.GatewayB.ConnectSocketAsync(bob.Token);
        await using var bobOnA = await fixture.GatewayA.ConnectSocketAsync(bob.Token);
        await Task.Delay(300);   // let both subscriptions land

        var chat = await _a.CreateGroupAsync(alice, bob);
        var chatId = chat.Id();
        foreach (var socket in new[] { bobOnB, bobOnA })
        {
            var added = await socket.WaitForAsync(SocketClient.OfType("chat:new"));
            Assert.Equal(chatId, added.GetProperty("data").Id());
        }

        var sent = await _a.SendAsync(alice, chatId, "hello everywhere");
        var messageId = sent.Id();
        foreach (var socket in new[] { aliceSocket, bobOnB, bobOnA })
        {
            var frame = await socket.WaitForAsync(SocketClient.OfType("message"));
            Assert.Equal(messageId, frame.GetProperty("data").Id());
            Assert.Equal(sent.GetProperty("version").GetInt64(), frame.GetProperty("data").GetProperty("version").GetInt64());
        }

        await _b.PostAsync($"/api/messages/{messageId}/react", new { emoji = "👍" }, bob.Token);
        var reaction = await aliceSocket.WaitForAsync(SocketClient.OfType("reaction"));
        Assert.Equal((messageId, chatId, bob.Id, "👍"), (
            reaction.GetProperty("data").GetProperty("messageId").GetGuid(), reaction.GetProperty("data").GetProperty("chatId").GetGuid(),
            reaction.GetProperty("data").GetProperty("userId").GetGuid(), reaction.GetProperty("data").GetProperty("emoji").GetString()));

        await _a.PostAsync($"/api/messages/{messageId}/edit", new { text = "edited everywhere" }, alice.Token);
        var update = await bobOnB.WaitForAsync(SocketClient.OfType("message:update"));
        Assert.Equal("edited everywhere", update.GetProperty("data").GetProperty("text").GetString());
        Assert.True(update.GetProperty("data").GetProperty("version").GetInt64() > 0);

        await _a.PostAsync($"/api/messages/{messageId}/delete", new { }, alice.Token);
        var delete = await bobOnA.WaitForAsync(SocketClient.OfType("message:delete"));
        Assert.Equal(messageId, delete.GetProperty("data").GetProperty("messageId").GetGuid());
        Assert.True(delete.GetProperty("data").GetProperty("deleteForAll").GetBoolean());

        await Task.Delay(300);
        foreach (var socket in new[] { bobOnB, bobOnA })
        {
            var messages = socket.Drain().Where(SocketClient.OfType("message")).ToList();
            Assert.Empty(messages);   // each socket got the message exactly once (consumed above)
        }
    }

    [Fact]
    public async Task Typing_GoesToOtherMembers_NotToTheTypist_NorToOutsiders()
    {
        var alice = await _a.RegisterAsync();
        var bob = await _b.RegisterAsync();
        var stranger = await _b.RegisterAsync();
        var chat = await _a.CreateGroupAsync(alice, bob);
        await using var aliceSocket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);
        await using var bobSocket = await fixture.GatewayB.ConnectSocketAsync(bob.Token);
        await using var strangerSocket = await fixture.GatewayB.ConnectSocketAsync(stranger.Token);
        await _a.WaitUntilOnlineAsync(alice, chat.Id(), alice, bob);

        await aliceSocket.SendAsync(new { type = "typing", chatId = chat.Id(), isTyping = true });
        await strangerSocket.SendAsync(new { type = "typing", chatId = chat.Id(), isTyping = true });

        var typing = await bobSocket.WaitForAsync(SocketClient.OfType("typing"));
        Assert.Equal((chat.Id(), alice.Id, true), (typing.GetProperty("chatId").GetGuid(), typing.GetProperty("userId").GetGuid(), typing.GetProperty("isTyping").GetBoolean()));
        await Task.Delay(500);
        Assert.DoesNotContain(aliceSocket.Drain(), SocketClient.IsType("typing"));
        Assert.DoesNotContain(bobSocket.Drain(), SocketClient.IsType("typing"));   // nothing from the stranger
    }

    [Fact]
    public async Task Presence_GoesOnlyToUsersWhoShareAChat_AndShowsInSearch()
    {
        var alice = await _a.RegisterAsync();
        var bob = await _b.RegisterAsync();
        var stranger = await _b.RegisterAsync();
        var chat = await _a.CreateGroupAsync(alice, bob);
        await using var bobSocket = await fixture.GatewayB.ConnectSocketAsync(bob.Token);
        await using var strangerSocket = await fixture.GatewayB.ConnectSocketAsync(stranger.Token);
        await _a.WaitUntilOnlineAsync(alice, chat.Id(), bob);

        var aliceSocket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);
        var online = await bobSocket.WaitForAsync(SocketClient.OfType("presence", f => f.GetProperty("data").GetProperty("userId").GetGuid() == alice.Id));
        var (_, search) = await _b.GetAsync($"/api/users/search?q={alice.Username}", bob.Token);
        await aliceSocket.DisposeAsync();
        var offline = await bobSocket.WaitForAsync(SocketClient.OfType("presence", f =>
            f.GetProperty("data").GetProperty("userId").GetGuid() == alice.Id && f.GetProperty("data").GetProperty("status").GetString() == "offline"));

        Assert.Equal("online", online.GetProperty("data").GetProperty("status").GetString());
        Assert.True(search.GetProperty("users")[0].GetProperty("isOnline").GetBoolean());
        Assert.Equal("offline", offline.GetProperty("data").GetProperty("status").GetString());
        Assert.DoesNotContain(strangerSocket.Drain(), SocketClient.IsType("presence"));
    }

    [Fact]
    public async Task RemovedMember_HearsTheRemoval_ThenNothingMore()
    {
        var owner = await _a.RegisterAsync();
        var member = await _b.RegisterAsync();
        var chat = await _a.CreateGroupAsync(owner, member);
        await using var memberSocket = await fixture.GatewayB.ConnectSocketAsync(member.Token);
        await _a.WaitUntilOnlineAsync(owner, chat.Id(), member);

        var (status, _) = await _a.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{chat.Id()}/members/{member.Id}"), owner.Token);
        var removal = await memberSocket.WaitForAsync(SocketClient.OfType("chat:member"));
        await _a.SendAsync(owner, chat.Id(), "after you left");
        await Task.Delay(500);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("removed", removal.GetProperty("data").GetProperty("action").GetString());
        Assert.Equal(member.Id, removal.GetProperty("data").GetProperty("userId").GetGuid());
        Assert.DoesNotContain(memberSocket.Drain(), SocketClient.IsType("message"));
    }

    [Fact]
    public async Task AddedMember_HearsChatNew_WithTheHistoryTheyJoinAsUnread()
    {
        var owner = await _a.RegisterAsync();
        var member = await _a.RegisterAsync();
        var newcomer = await _b.RegisterAsync();
        var chatId = (await _a.CreateGroupAsync(owner, member)).Id();
        await _a.SendAsync(owner, chatId, "one");
        await _a.SendAsync(member, chatId, "two");
        var deleted = await _a.SendAsync(owner, chatId, "three");
        await _a.PostAsync($"/api/messages/{deleted.Id()}/delete", new { }, owner.Token);
        await using var newcomerSocket = await fixture.GatewayB.ConnectSocketAsync(newcomer.Token);
        await Task.Delay(300);   // let the subscription land

        var (status, _) = await _a.PostAsync($"/api/chats/{chatId}/members", new { userIds = new[] { newcomer.Id } }, owner.Token);
        var added = await newcomerSocket.WaitForAsync(SocketClient.OfType("chat:new"));
        var (_, list) = await _b.GetAsync("/api/chats", newcomer.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, added.GetProperty("data").GetProperty("unreadCount").GetInt32());
        Assert.Equal(2, list.GetProperty("chats")[0].GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task BinaryFrames_AreIgnored_EvenWhenTheyHoldAValidFrame()
    {
        var alice = await _a.RegisterAsync();
        var bob = await _b.RegisterAsync();
        var chat = await _a.CreateGroupAsync(alice, bob);
        await using var aliceSocket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);
        await using var bobSocket = await fixture.GatewayB.ConnectSocketAsync(bob.Token);
        await _a.WaitUntilOnlineAsync(alice, chat.Id(), alice, bob);

        var typing = JsonSerializer.SerializeToUtf8Bytes(new { type = "typing", chatId = chat.Id(), isTyping = true }, JsonSerializerOptions.Web);
        await aliceSocket.Socket.SendAsync(typing, WebSocketMessageType.Binary, endOfMessage: true, CancellationToken.None);
        var sent = await _a.SendAsync(alice, chat.Id(), "after the binary frame");

        var frame = await bobSocket.WaitForAsync(SocketClient.OfType("message"));
        Assert.Equal(sent.Id(), frame.GetProperty("data").Id());
        await Task.Delay(500);
        Assert.DoesNotContain(bobSocket.Drain(), SocketClient.IsType("typing"));
        Assert.Null(aliceSocket.CloseStatus);
    }

    [Fact]
    public async Task Subscribe_AndUnknownFrames_AreAcceptedWithoutAnswer()
    {
        var alice = await _a.RegisterAsync();
        var bob = await _a.RegisterAsync();
        var chat = await _a.CreateGroupAsync(alice, bob);
        await using var socket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);
        await _a.WaitUntilOnlineAsync(bob, chat.Id(), alice);

        await socket.SendAsync(new { type = "subscribe", chatId = chat.Id() });
        await socket.SendAsync(new { type = "unsubscribe", chatId = Guid.NewGuid() });
        await socket.SendRawAsync("not json at all");
        await socket.SendAsync(new { type = "dance" });
        var sent = await _a.SendAsync(bob, chat.Id(), "still connected");

        var frame = await socket.WaitForAsync(SocketClient.OfType("message"));
        Assert.Equal(sent.Id(), frame.GetProperty("data").Id());
        Assert.Null(socket.CloseStatus);
    }

    [Fact]
    public async Task Upgrade_WithoutOrWithBadToken_Is401BeforeTheUpgrade()
    {
        var (noToken, body) = await _a.GetAsync("/ws");
        var (badToken, _) = await _a.GetAsync("/ws?token=forged.token.value");

        Assert.Equal(HttpStatusCode.Unauthorized, noToken);
        Assert.Equal("unauthorized", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, badToken);
    }

    [Fact]
    public async Task Upgrade_FromForeignOrigin_IsRefused()
    {
        var alice = await _a.RegisterAsync();

        await Assert.ThrowsAnyAsync<Exception>(() => fixture.GatewayA.ConnectSocketAsync(alice.Token, TestOrigins.Foreign));
        await using var allowed = await fixture.GatewayA.ConnectSocketAsync(alice.Token, TestOrigins.Allowed);
        Assert.Null(allowed.CloseStatus);
    }

    [Fact]
    public async Task OversizedInboundFrame_Closes1009()
    {
        var alice = await _a.RegisterAsync();
        await using var socket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);

        await socket.SendRawAsync(new string('x', 17 * 1024));
        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.MessageTooBig, socket.CloseStatus);
    }

    [Fact]
    public async Task FloodingSocket_Closes1008()
    {
        var alice = await _a.RegisterAsync();
        await using var socket = await fixture.GatewayA.ConnectSocketAsync(alice.Token);

        for (var i = 0; i < 100 && socket.CloseStatus is null; i++)
        {
            await socket.SendAsync(new { type = "noise", i });
        }

        await socket.Closed.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(System.Net.WebSockets.WebSocketCloseStatus.PolicyViolation, socket.CloseStatus);
    }
}
