using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Chats;

/// <summary>The Chats section of the contract, run against the embedded default and the production topology.</summary>
public abstract class ChatContractTests(GatewayApplication gateway)
{
    private readonly ApiClient _api = gateway.CreateApiClient();

    [Fact]
    public async Task CreateGroup_ReturnsTheChatObject()
    {
        var owner = await _api.RegisterAsync();
        var member = await _api.RegisterAsync();

        var (status, chat) = await _api.PostAsync("/api/chats",
            new { type = "group", name = "  Team  ", memberIds = new[] { member.Id, member.Id, owner.Id } }, owner.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("group", chat.GetProperty("type").GetString());
        Assert.Equal("Team", chat.GetProperty("name").GetString());
        Assert.Equal(owner.Id, chat.GetProperty("createdBy").GetGuid());
        Assert.Equal(0, chat.GetProperty("unreadCount").GetInt32());
        Assert.True(chat.GetProperty("version").GetInt64() > 0);
        var members = chat.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(2, members.Count);
        Assert.Equal("owner", members.Single(m => m.GetProperty("userId").GetGuid() == owner.Id).GetProperty("role").GetString());
        var user = members.Single(m => m.GetProperty("userId").GetGuid() == member.Id).GetProperty("user");
        Assert.Equal(["id", "username", "avatarUrl", "status"], user.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public async Task CreateGroup_NameLimitCountsCharacters_NotUtf16Units()
    {
        var owner = await _api.RegisterAsync();
        var longest = string.Concat(Enumerable.Repeat("𝄞", 128));   // 256 UTF-16 units

        var (status, chat) = await _api.PostAsync("/api/chats", new { type = "group", name = longest }, owner.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(longest, chat.GetProperty("name").GetString());
    }

    [Fact]
    public async Task CreateDm_FromEitherSide_ReturnsTheSameChat()
    {
        var a = await _api.RegisterAsync();
        var b = await _api.RegisterAsync();

        var first = await _api.CreateDmAsync(a, b);
        var second = await _api.CreateDmAsync(b, a);

        Assert.Equal(first.Id(), second.Id());
        Assert.Equal("dm", first.GetProperty("type").GetString());
        Assert.False(first.TryGetProperty("name", out _));
    }

    public static TheoryData<string, string> InvalidCreations => new()
    {
        { """{"type":"secret","name":"x"}""", "type" },
        { """{"name":"x"}""", "type" },
        { """{"type":"group"}""", "name" },
        { """{"type":"group","name":"   "}""", "name" },
        { $$"""{"type":"group","name":"{{new string('n', 129)}}"}""", "name" },
        { $$"""{"type":"group","name":"{{string.Concat(Enumerable.Repeat("𝄞", 129))}}"}""", "128" },
        { """{"type":"group","name":"a\u0000b"}""", "name" },
        { """{"type":"dm","memberIds":[]}""", "dm" },
        { $$"""{"type":"dm","memberIds":["{{Guid.NewGuid()}}","{{Guid.NewGuid()}}"]}""", "dm" },
        { $$"""{"type":"dm","memberIds":["{{Guid.NewGuid()}}"]}""", "exist" },
        { $$"""{"type":"group","name":"g","memberIds":["{{Guid.NewGuid()}}"]}""", "exist" },
        { $$"""{"type":"group","name":"g","memberIds":[{{string.Join(',', Enumerable.Range(0, 201).Select(_ => $"\"{Guid.NewGuid()}\""))}}]}""", "200" },
        { """{"type":"group","name":"g","memberIds":["not-a-guid"]}""", "'memberIds[0]' has the wrong type or an invalid value" },
        { """{"type":"group","name":"\u200b\u3164"}""", "visible" },
    };

    [Theory]
    [MemberData(nameof(InvalidCreations))]
    public async Task Create_InvalidInput_Is400WithDetail(string json, string detailMentions)
    {
        var caller = await _api.RegisterAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/chats")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };

        var (status, body) = await _api.SendAsync(request, caller.Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.Contains(detailMentions, body.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task GetChat_UnknownIs404_MalformedIdIs404()
    {
        var caller = await _api.RegisterAsync();

        var unknown = await _api.GetAsync($"/api/chats/{Guid.NewGuid()}", caller.Token);
        var malformed = await _api.GetAsync("/api/chats/not-a-guid", caller.Token);

        Assert.Equal(HttpStatusCode.NotFound, unknown.Status);
        Assert.Equal("not_found", unknown.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, malformed.Status);
    }

    [Fact]
    public async Task ChatList_MostRecentActivityFirst_WithLastMessageAndUnread()
    {
        var me = await _api.RegisterAsync();
        var friend = await _api.RegisterAsync();
        var quiet = await _api.CreateGroupAsync(me, friend);
        var busy = await _api.CreateGroupAsync(me, friend);
        await _api.SendAsync(friend, busy.Id(), "news");
        await _api.SendAsync(friend, busy.Id(), "more news");

        var (status, list) = await _api.GetAsync("/api/chats", me.Token);

        Assert.Equal(HttpStatusCode.OK, status);
        var chats = list.GetProperty("chats").EnumerateArray().ToList();
        Assert.Equal([busy.Id(), quiet.Id()], chats.Select(c => c.Id()));
        Assert.Equal("more news", chats[0].GetProperty("lastMessage").GetProperty("text").GetString());
        Assert.Equal(2, chats[0].GetProperty("unreadCount").GetInt32());
        Assert.All(chats, c => Assert.True(c.GetProperty("members").GetArrayLength() == 2));
        Assert.False(chats[1].TryGetProperty("lastMessage", out _));
    }

    [Fact]
    public async Task MarkRead_ClearsUnread()
    {
        var me = await _api.RegisterAsync();
        var friend = await _api.RegisterAsync();
        var chat = await _api.CreateGroupAsync(friend, me);
        await _api.SendAsync(friend, chat.Id(), "one");
        var two = await _api.SendAsync(friend, chat.Id(), "two");

        var (partStatus, _) = await _api.PostAsync($"/api/chats/{chat.Id()}/read", new { upToSeq = 1 }, me.Token);
        var (_, partly) = await _api.GetAsync($"/api/chats/{chat.Id()}", me.Token);
        var (allStatus, marker) = await _api.PostAsync($"/api/chats/{chat.Id()}/read", new { }, me.Token);
        var (_, none) = await _api.GetAsync($"/api/chats/{chat.Id()}", me.Token);

        Assert.Equal(HttpStatusCode.OK, partStatus);
        Assert.Equal(1, partly.GetProperty("unreadCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, allStatus);
        Assert.Equal(two.GetProperty("seq").GetInt64(), marker.GetProperty("lastReadSeq").GetInt64());
        Assert.Equal(0, none.GetProperty("unreadCount").GetInt32());
    }

    [Fact]
    public async Task Members_AddRemoveAndLeave()
    {
        var owner = await _api.RegisterAsync();
        var member = await _api.RegisterAsync();
        var newcomer = await _api.RegisterAsync();
        var chat = await _api.CreateGroupAsync(owner, member);

        var (addStatus, added) = await _api.PostAsync($"/api/chats/{chat.Id()}/members", new { userIds = new[] { newcomer.Id } }, owner.Token);
        var (forbiddenStatus, forbidden) = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{chat.Id()}/members/{newcomer.Id}"), member.Token);
        var (leaveStatus, left) = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{chat.Id()}/members/{member.Id}"), member.Token);
        var (afterLeave, _) = await _api.GetAsync($"/api/chats/{chat.Id()}", member.Token);
        var (_, list) = await _api.GetAsync("/api/chats", member.Token);

        Assert.Equal(HttpStatusCode.OK, addStatus);
        Assert.Equal(3, added.GetProperty("members").GetArrayLength());
        Assert.Equal(HttpStatusCode.Forbidden, forbiddenStatus);
        Assert.StartsWith("Only the owner and admins remove members", forbidden.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, leaveStatus);
        Assert.True(left.GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.Forbidden, afterLeave);
        Assert.Equal(0, list.GetProperty("chats").GetArrayLength());
    }

    [Fact]
    public async Task Dm_CannotBeLeftOrGrown_AndSaysWhy()
    {
        var me = await _api.RegisterAsync();
        var friend = await _api.RegisterAsync();
        var stranger = await _api.RegisterAsync();
        var dm = await _api.CreateDmAsync(me, friend);

        var (leaveStatus, leave) = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{dm.Id()}/members/{me.Id}"), me.Token);
        var (addStatus, add) = await _api.PostAsync($"/api/chats/{dm.Id()}/members", new { userIds = new[] { stranger.Id } }, me.Token);

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (leaveStatus, addStatus));
        Assert.Equal("A direct chat has exactly its two members.", leave.GetProperty("detail").GetString());
        Assert.Equal("A direct chat has exactly its two members.", add.GetProperty("detail").GetString());
    }
}

[Collection(ProductionClusterCollection.Name)]
public sealed class ChatContractTests_Production(ProductionClusterFixture fixture) : ChatContractTests(fixture.GatewayA);

[Collection(EmbeddedGatewayCollection.Name)]
public sealed class ChatContractTests_Embedded(EmbeddedGatewayFixture fixture) : ChatContractTests(fixture.Gateway);
