using System.Net;
using System.Text.Json;
using SafeGram.Gateway.Tests.Infrastructure;

namespace SafeGram.Gateway.Tests.Chats;

/// <summary>The Messages section of the contract, run against the embedded default and the production topology.</summary>
public abstract class MessageContractTests(GatewayApplication gateway)
{
    private readonly ApiClient _api = gateway.CreateApiClient();

    private async Task<(RegisteredUser Owner, RegisteredUser Member, Guid ChatId)> GroupAsync()
    {
        var owner = await _api.RegisterAsync();
        var member = await _api.RegisterAsync();
        return (owner, member, (await _api.CreateGroupAsync(owner, member)).Id());
    }

    /// <summary>The owner of a new group reacts with <paramref name="emoji"/> to a message of their own.</summary>
    private async Task<(HttpStatusCode Status, JsonElement Body)> ReactToANewMessageAsync(string emoji)
    {
        var (owner, _, chatId) = await GroupAsync();
        var message = await _api.SendAsync(owner, chatId, "react");
        return await _api.PostAsync($"/api/messages/{message.Id()}/react", new { emoji }, owner.Token);
    }

    [Fact]
    public async Task Send_ReturnsTheMessageObject_OnBothPaths()
    {
        var (owner, member, chatId) = await GroupAsync();

        var (status, message) = await _api.PostAsync("/api/messages",
            new { chatId, text = "  hi  ", replyTo = "", attachmentUrl = (string?)null, stickerId = (string?)null, expiresMs = (int?)null }, owner.Token);
        var reply = await _api.SendAsync(member, chatId, "hello back");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hi", message.GetProperty("text").GetString());
        Assert.Equal(chatId, message.GetProperty("chatId").GetGuid());
        Assert.Equal(owner.Id, message.GetProperty("senderId").GetGuid());
        Assert.Equal(owner.Username, message.GetProperty("sender").GetProperty("username").GetString());
        Assert.Equal("", message.GetProperty("replyTo").GetString());
        Assert.Equal(0, message.GetProperty("reactions").GetArrayLength());
        Assert.Equal(1, message.GetProperty("seq").GetInt64());
        Assert.Equal(2, reply.GetProperty("seq").GetInt64());
        Assert.True(reply.GetProperty("version").GetInt64() > message.GetProperty("version").GetInt64());
        Assert.False(message.TryGetProperty("editedAt", out _));
    }

    [Fact]
    public async Task Send_WithClientMessageId_IsIdempotent()
    {
        var (owner, _, chatId) = await GroupAsync();

        var first = await _api.SendAsync(owner, chatId, "once", "client-1");
        var retry = await _api.SendAsync(owner, chatId, "once", "client-1");
        var history = await _api.HistoryAsync(owner, chatId);

        Assert.Equal(first.Id(), retry.Id());
        Assert.Equal("client-1", retry.GetProperty("clientMessageId").GetString());
        Assert.Equal(1, history.GetProperty("messages").GetArrayLength());
    }

    public static TheoryData<string, string> InvalidSends => new()
    {
        { """{"text":""}""", "text" },
        { """{"text":"   "}""", "text" },
        { """{}""", "text" },
        { $$"""{"text":"{{new string('x', 4097)}}"}""", "4096" },
        { $$"""{"text":"{{string.Concat(Enumerable.Repeat("😀", 4097))}}"}""", "4096" },
        { """{"text":"hi","replyTo":"not-an-id"}""", "replyTo" },
        { $$"""{"text":"hi","replyTo":"{{Guid.NewGuid()}}"}""", "replyTo" },
        { $$"""{"text":"hi","clientMessageId":"{{new string('c', 200)}}"}""", "clientMessageId" },
        { """{"text":"a\u0000b"}""", "NUL" },
        { """{"text":"\u200b"}""", "visible" },
        { """{"text":" \u2800\u3164\u200d\u202e "}""", "visible" },
        { """{"text":"hi","clientMessageId":"c\u0000"}""", "clientMessageId" },
    };

    [Theory]
    [MemberData(nameof(InvalidSends))]
    public async Task Send_InvalidInput_Is400_AndStoresNothing(string json, string detailMentions)
    {
        var (owner, _, chatId) = await GroupAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/chats/{chatId}/messages")
        {
            Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json"),
        };

        var (status, body) = await _api.SendAsync(request, owner.Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(detailMentions, body.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, (await _api.HistoryAsync(owner, chatId)).GetProperty("messages").GetArrayLength());
    }

    [Fact]
    public async Task Send_CountsCharacters_NotUtf16Units()
    {
        var (owner, _, chatId) = await GroupAsync();
        var longest = string.Concat(Enumerable.Repeat("😀", 4096));   // 8,192 UTF-16 units

        var sent = await _api.SendAsync(owner, chatId, longest);
        var history = await _api.HistoryAsync(owner, chatId);

        Assert.Equal(longest, sent.GetProperty("text").GetString());
        Assert.Equal(longest, history.GetProperty("messages")[0].GetProperty("text").GetString());
    }

    [Fact]
    public async Task Send_WithoutChatId_Is400()
    {
        var owner = await _api.RegisterAsync();

        var (status, body) = await _api.PostAsync("/api/messages", new { text = "where?" }, owner.Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("chatId", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task React_ReplacesThenRemoves_AndAppearsInHistory()
    {
        var (owner, member, chatId) = await GroupAsync();
        var message = await _api.SendAsync(owner, chatId, "react");

        var (_, first) = await _api.PostAsync($"/api/messages/{message.Id()}/react", new { emoji = "👍" }, member.Token);
        var (_, second) = await _api.PostAsync($"/api/messages/{message.Id()}/react", new { emoji = "🎉" }, member.Token);
        var history = await _api.HistoryAsync(owner, chatId);
        var (_, removed) = await _api.PostAsync($"/api/messages/{message.Id()}/react", new { emoji = "🎉" }, member.Token);
        var after = await _api.HistoryAsync(owner, chatId);

        Assert.False(first.TryGetProperty("removed", out _));
        Assert.Equal("🎉", second.GetProperty("emoji").GetString());
        var flat = history.GetProperty("reactions").EnumerateArray().Single();
        Assert.Equal((message.Id(), member.Id, "🎉"),
            (flat.GetProperty("messageId").GetGuid(), flat.GetProperty("userId").GetGuid(), flat.GetProperty("emoji").GetString()));
        Assert.Equal(1, history.GetProperty("messages")[0].GetProperty("reactions").GetArrayLength());
        Assert.True(removed.GetProperty("removed").GetBoolean());
        Assert.Equal(0, after.GetProperty("reactions").GetArrayLength());
    }

    [Theory]
    [InlineData("")]
    [InlineData("two words")]
    [InlineData("🎉🎉🎉🎉🎉🎉🎉🎉🎉")]
    [InlineData("👍\u0000")]
    [InlineData("\u202e")]
    [InlineData("\u0301a")]             // starts with a combining mark
    [InlineData("\u20e3👍")]
    [InlineData("👍\u202e")]
    [InlineData("\u3164")]
    [InlineData("\u200d👍")]            // looks like 👍, would count as another reaction
    [InlineData("👍\u200d")]
    [InlineData("👍\U000E0061")]
    [InlineData("👍\ufe0f\ufe0f")]
    public async Task React_InvalidEmoji_Is400(string emoji)
    {
        var (status, body) = await ReactToANewMessageAsync(emoji);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("emoji", body.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("می\u200cخواهم")]        // Persian: a zero-width non-joiner inside a word
    [InlineData("\u200fשלום")]          // a right-to-left mark before Hebrew
    [InlineData("नमस्\u200dते")]          // a zero-width joiner inside Devanagari
    public async Task Send_VisibleTextWithJoinersOrDirectionMarks_IsStoredAsSent(string text)
    {
        var (owner, _, chatId) = await GroupAsync();

        var message = await _api.SendAsync(owner, chatId, text);

        Assert.Equal(text, message.GetProperty("text").GetString());
    }

    [Theory]
    [InlineData("👍🏽")]                 // skin tone modifier
    [InlineData("👨\u200d👩\u200d👧")]   // joined by zero-width joiners
    [InlineData("🇺🇦")]                 // regional indicators
    [InlineData("1\ufe0f\u20e3")]       // keycap
    [InlineData("🏴\U000E0067\U000E0062\U000E0065\U000E006E\U000E0067\U000E007F")]   // tag sequence
    [InlineData(":+1:")]                // a client's short code
    [InlineData("❤\ufe0f")]             // emoji presentation selector
    [InlineData("👍👍")]
    public async Task React_EmojiSequencesAndShortCodes_AreSingleReactions(string emoji)
    {
        var (status, body) = await ReactToANewMessageAsync(emoji);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(emoji, body.GetProperty("emoji").GetString());
    }

    [Fact]
    public async Task Edit_OnlyBySender_NotOnDeleted()
    {
        var (owner, member, chatId) = await GroupAsync();
        var message = await _api.SendAsync(member, chatId, "mine");

        var (ownerStatus, refused) = await _api.PostAsync($"/api/messages/{message.Id()}/edit", new { text = "hijack" }, owner.Token);
        var (senderStatus, edited) = await _api.PostAsync($"/api/messages/{message.Id()}/edit", new { text = "mine, edited" }, member.Token);
        await _api.PostAsync($"/api/messages/{message.Id()}/delete", new { }, member.Token);
        var (deletedStatus, _) = await _api.PostAsync($"/api/messages/{message.Id()}/edit", new { text = "again" }, member.Token);
        var (missingStatus, _) = await _api.PostAsync($"/api/messages/{Guid.NewGuid()}/edit", new { text = "again" }, member.Token);

        Assert.Equal(HttpStatusCode.Forbidden, ownerStatus);
        Assert.Equal("Only the sender may edit a message.", refused.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, senderStatus);
        Assert.Equal("mine, edited", edited.GetProperty("text").GetString());
        Assert.True(edited.TryGetProperty("editedAt", out _));
        Assert.Equal(HttpStatusCode.NotFound, deletedStatus);
        Assert.Equal(HttpStatusCode.NotFound, missingStatus);
    }

    [Fact]
    public async Task Delete_BySenderOrModerator_IsIdempotent_AndLeavesATombstone()
    {
        var (owner, member, chatId) = await GroupAsync();
        var ownersMessage = await _api.SendAsync(owner, chatId, "owner's");
        var membersMessage = await _api.SendAsync(member, chatId, "member's");
        var checkpoint = membersMessage.GetProperty("version").GetInt64();

        var (memberDeletesOwner, refused) = await _api.PostAsync($"/api/messages/{ownersMessage.Id()}/delete", new { deleteForAll = true }, member.Token);
        var (ownerDeletesMember, ok) = await _api.PostAsync($"/api/messages/{membersMessage.Id()}/delete", new { }, owner.Token);
        var (again, _) = await _api.PostAsync($"/api/messages/{membersMessage.Id()}/delete", new { }, owner.Token);
        var visible = await _api.HistoryAsync(member, chatId);
        var changes = await _api.HistoryAsync(member, chatId, $"?sinceVersion={checkpoint}");

        Assert.Equal(HttpStatusCode.Forbidden, memberDeletesOwner);
        Assert.Equal("Only the sender, the owner or an admin may delete a message.", refused.GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.OK, ownerDeletesMember);
        Assert.True(ok.GetProperty("ok").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal([ownersMessage.Id()], visible.GetProperty("messages").EnumerateArray().Select(m => m.Id()));
        var tombstone = changes.GetProperty("messages").EnumerateArray().Single();
        Assert.Equal(membersMessage.Id(), tombstone.Id());
        Assert.Equal("", tombstone.GetProperty("text").GetString());
        Assert.True(tombstone.TryGetProperty("deletedAt", out _));
    }

    [Fact]
    public async Task History_PagesBackwardsAndForwards()
    {
        var (owner, member, chatId) = await GroupAsync();
        var sent = new List<Guid>();
        for (var i = 0; i < 7; i++)
        {
            sent.Add((await _api.SendAsync(i % 2 == 0 ? owner : member, chatId, $"m{i}")).Id());
        }

        var newest = await _api.HistoryAsync(owner, chatId, "?limit=3");
        var older = await _api.HistoryAsync(owner, chatId, $"?limit=3&before={newest.GetProperty("messages")[0].Id()}");
        var forward = await _api.HistoryAsync(owner, chatId, "?afterSeq=5&limit=10");

        Assert.Equal(sent[4..], newest.GetProperty("messages").EnumerateArray().Select(m => m.Id()));
        Assert.Equal(sent[1..4], older.GetProperty("messages").EnumerateArray().Select(m => m.Id()));
        Assert.Equal(sent[5..], forward.GetProperty("messages").EnumerateArray().Select(m => m.Id()));
    }

    [Fact]
    public async Task NewestPage_ReadAgain_ShowsEveryChangeAndOnlyToMembers()
    {
        var (owner, member, chatId) = await GroupAsync();
        async Task<string[]> NewestAsync(string query = "") =>
            [.. (await _api.HistoryAsync(owner, chatId, query)).GetProperty("messages").EnumerateArray()
                .Select(m => $"{m.GetProperty("text").GetString()}|{m.GetProperty("reactions").GetArrayLength()}|{m.TryGetProperty("deletedAt", out _)}")];

        var first = await _api.SendAsync(owner, chatId, "one");
        Assert.Equal(["one|0|False"], await NewestAsync());
        Assert.Equal(["one|0|False"], await NewestAsync());

        await _api.SendAsync(member, chatId, "two");
        Assert.Equal(["one|0|False", "two|0|False"], await NewestAsync());
        Assert.Equal(["two|0|False"], await NewestAsync("?limit=1"));

        await _api.PostAsync($"/api/messages/{first.Id()}/edit", new { text = "uno" }, owner.Token);
        Assert.Equal(["uno|0|False", "two|0|False"], await NewestAsync());

        await _api.PostAsync($"/api/messages/{first.Id()}/react", new { emoji = "👍" }, member.Token);
        Assert.Equal(["uno|1|False", "two|0|False"], await NewestAsync());

        await _api.PostAsync($"/api/messages/{first.Id()}/delete", new { }, owner.Token);
        Assert.Equal(["two|0|False"], await NewestAsync());

        var (removed, _) = await _api.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/chats/{chatId}/members/{member.Id}"), owner.Token);
        var (status, _) = await _api.GetAsync($"/api/chats/{chatId}/messages", member.Token);
        Assert.Equal(HttpStatusCode.OK, removed);
        Assert.Equal(HttpStatusCode.Forbidden, status);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=201")]
    [InlineData("?limit=abc")]
    [InlineData("?limit=99999999999")]
    [InlineData("?limit=1&limit=2")]
    [InlineData("?before=nope")]
    [InlineData("?afterSeq=-1")]
    [InlineData("?afterSeq=abc")]
    [InlineData("?sinceVersion=99999999999999999999")]
    [InlineData("?afterSeq=1&sinceVersion=1")]
    public async Task History_InvalidQuery_Is400WithDetail(string query)
    {
        var (owner, _, chatId) = await GroupAsync();

        var (status, body) = await _api.GetAsync($"/api/chats/{chatId}/messages{query}", owner.Token);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("bad_request", body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("detail").GetString()));
    }
}

[Collection(ProductionClusterCollection.Name)]
public sealed class MessageContractTests_Production(ProductionClusterFixture fixture) : MessageContractTests(fixture.GatewayA);

[Collection(EmbeddedGatewayCollection.Name)]
public sealed class MessageContractTests_Embedded(EmbeddedGatewayFixture fixture) : MessageContractTests(fixture.Gateway);
