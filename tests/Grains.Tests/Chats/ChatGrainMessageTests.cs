using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Tests.Chats;

/// <summary>The message log on PostgreSQL: ordering under concurrency, idempotency, paging and catch-up.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ChatGrainMessageTests(PostgresClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task PostAsync_ManyConcurrentSenders_GapFreeSeqAndEveryAckStored()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 5);

        var acks = await Task.WhenAll(Enumerable.Range(0, 150).Select(i =>
            Grains.GetGrain<IChatGrain>(chat.GetPrimaryKey()).SendAsync(users[i % users.Length], $"m{i}", $"c{i}")));

        Assert.Equal(Enumerable.Range(1, 150).Select(i => (long)i), acks.Select(a => a.Seq).Order());
        var stored = await chat.PageAsync(users[1], new MessageQuery(200, SinceVersion: 0));
        Assert.Equal(acks.Select(a => a.Id).Order(), stored.Select(m => m.Id).Order());
        Assert.Equal(150, stored.Select(m => m.Version).Distinct().Count());
    }

    [Fact]
    public async Task PostAsync_IdsAreVersion7_StampedWithTheMessagesOwnTime()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);

        var first = await chat.SendAsync(users[0], "earlier");
        await Task.Delay(5);
        var second = await chat.SendAsync(users[1], "later");

        foreach (var message in new[] { first, second })
        {
            Assert.Equal(7, message.Id.Version);
            // The first 48 bits of a version 7 id are its Unix time in milliseconds.
            var idMilliseconds = long.Parse(message.Id.ToString("N")[..12], System.Globalization.NumberStyles.HexNumber);
            Assert.Equal(message.CreatedAt.ToUnixTimeMilliseconds(), idMilliseconds);
        }

        Assert.True(first.Id.CompareTo(second.Id) < 0, "a later message must sort after an earlier one");
        Assert.True(string.CompareOrdinal(first.Id.ToString(), second.Id.ToString()) < 0, "…also as PostgreSQL orders uuids");
    }

    [Fact]
    public async Task PostAsync_SameClientMessageId_ReturnsTheOriginal_EvenAfterItLeftTheWindow()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var original = await chat.SendAsync(users[0], "first", "retry-me");
        var sameWindow = await chat.SendAsync(users[0], "first", "retry-me");
        for (var i = 0; i < 300; i++)
        {
            await chat.SendAsync(users[1], $"filler {i}");
        }

        var afterWindow = await chat.SendAsync(users[0], "first", "retry-me");
        var otherSender = await chat.SendAsync(users[1], "first", "retry-me");

        Assert.Equal(original.Id, sameWindow.Id);
        Assert.Equal(original.Id, afterWindow.Id);
        Assert.NotEqual(original.Id, otherSender.Id);
        Assert.Equal(302, otherSender.Seq);
    }

    [Fact]
    public async Task NewestPage_SendsMessagesOnlyWhenTheCallersVersionIsStale()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        for (var i = 0; i < 300; i++)
        {
            await chat.SendAsync(users[i % 2], $"n{i}");
        }

        var expected = (await chat.PageAsync(users[1], new MessageQuery(50))).Select(m => m.Id);
        var fresh = (await chat.GetNewestPageAsync(users[1], 50, knownVersion: -1)).Value!;
        var unchanged = (await chat.GetNewestPageAsync(users[1], 50, fresh.Version)).Value!;
        var sent = await chat.SendAsync(users[0], "newer");
        var stale = (await chat.GetNewestPageAsync(users[1], 50, fresh.Version)).Value!;
        var outsider = await chat.GetNewestPageAsync(Guid.NewGuid(), 50, fresh.Version);

        Assert.Equal(expected, fresh.Messages!.Value.Select(m => m.Id));
        Assert.Equal("n299", fresh.Messages!.Value[^1].Text);
        Assert.Equal(fresh.Version, unchanged.Version);
        Assert.Null(unchanged.Messages);
        Assert.Equal(sent.Version, stale.Version);
        Assert.Equal(sent.Id, stale.Messages!.Value[^1].Id);
        Assert.Equal(50, stale.Messages!.Value.Length);
        Assert.Equal(ChatOutcome.Forbidden, outsider.Outcome);
    }

    [Fact]
    public async Task Paging_BackwardsAndForwards_CoversEveryMessageOnce()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var sent = new List<ChatMessage>();
        for (var i = 0; i < 320; i++)
        {
            sent.Add(await chat.SendAsync(users[i % 2], $"p{i}"));
        }

        var deleted = sent[100];
        Assert.Equal(ChatOutcome.Ok, (await chat.DeleteAsync(deleted.SenderId, deleted.Id)).Outcome);
        var expected = sent.Where(m => m.Id != deleted.Id).Select(m => m.Id).ToList();

        var backwards = new List<ChatMessage>();
        var page = await chat.PageAsync(users[0], new MessageQuery(45));
        while (page.Length > 0)
        {
            backwards.InsertRange(0, page);
            page = await chat.PageAsync(users[0], new MessageQuery(45, BeforeMessageId: page[0].Id));
        }

        var forwards = new List<ChatMessage>();
        long after = 0;
        do
        {
            page = await chat.PageAsync(users[1], new MessageQuery(45, AfterSeq: after));
            forwards.AddRange(page);
            after = page.Length > 0 ? page[^1].Seq : after;
        }
        while (page.Length > 0);

        Assert.Equal(expected, backwards.Select(m => m.Id));
        Assert.Equal(expected, forwards.Select(m => m.Id));
    }

    [Fact]
    public async Task SinceVersion_ReturnsExactlyTheChanges_IncludingTombstones()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var old = await chat.SendAsync(users[0], "old");
        var doomed = await chat.SendAsync(users[0], "doomed");
        var checkpoint = (await chat.GetAsync(users[1])).Value!.Version;

        var fresh = await chat.SendAsync(users[1], "fresh");
        await chat.EditAsync(users[0], old.Id, "old, edited");
        await chat.DeleteAsync(users[0], doomed.Id);
        await chat.ReactAsync(users[1], fresh.Id, "🔥");

        var changes = await chat.PageAsync(users[1], new MessageQuery(50, SinceVersion: checkpoint));

        Assert.Equal(new[] { old.Id, doomed.Id, fresh.Id }.Order(), changes.Select(m => m.Id).Order());
        Assert.Equal("old, edited", changes.Single(m => m.Id == old.Id).Text);
        Assert.True(changes.Single(m => m.Id == doomed.Id).IsDeleted);
        Assert.Equal("", changes.Single(m => m.Id == doomed.Id).Text);
        Assert.Equal("🔥", changes.Single(m => m.Id == fresh.Id).Reactions.Single().Emoji);
        Assert.Equal(changes.Select(m => m.Version).Order(), changes.Select(m => m.Version));
        Assert.Empty(await chat.PageAsync(users[1], new MessageQuery(50, SinceVersion: changes.Max(m => m.Version))));
    }

    [Fact]
    public async Task Counters_ComeFromTheLog_AfterDeactivation()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        await chat.SendAsync(users[0], "one");
        var two = await chat.SendAsync(users[0], "two");

        await fixture.Cluster.DeactivateAsync(((GrainReference)chat).GrainId);
        var three = await chat.SendAsync(users[1], "three");

        Assert.Equal(3, three.Seq);
        Assert.Equal(two.Version + 1, three.Version);
    }

    [Fact]
    public async Task React_SameEmojiRemoves_OtherEmojiReplaces()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var message = await chat.SendAsync(users[0], "react to me");

        var added = (await chat.ReactAsync(users[1], message.Id, "👍")).Value!;
        var replaced = (await chat.ReactAsync(users[1], message.Id, "❤️")).Value!;
        var afterReplace = (await chat.PageAsync(users[0], new MessageQuery(10))).Single().Reactions;
        var removed = (await chat.ReactAsync(users[1], message.Id, "❤️")).Value!;
        var afterRemove = (await chat.PageAsync(users[0], new MessageQuery(10))).Single().Reactions;

        Assert.False(added.Removed);
        Assert.False(replaced.Removed);
        Assert.Equal("❤️", Assert.Single(afterReplace).Emoji);
        Assert.True(removed.Removed);
        Assert.Empty(afterRemove);
    }

    [Fact]
    public async Task MarkRead_DrivesUnreadCount()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        for (var i = 0; i < 3; i++)
        {
            await chat.SendAsync(users[0], $"unread {i}");
        }

        var before = (await chat.GetAsync(users[1])).Value!.UnreadCount;
        await chat.MarkReadAsync(users[1], 2);
        var partly = (await chat.GetAsync(users[1])).Value!.UnreadCount;
        await chat.MarkReadAsync(users[1], null);
        var all = (await chat.GetAsync(users[1])).Value!.UnreadCount;

        Assert.Equal((3, 1, 0), (before, partly, all));
        Assert.Equal(0, (await chat.GetAsync(users[0])).Value!.UnreadCount);
    }

    [Fact]
    public async Task ReplyTo_MessageOfAnotherChat_IsInvalid()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var (other, otherUsers) = await ChatBuilder.CreateGroupAsync(Grains, 1);
        var foreign = await other.SendAsync(otherUsers[0], "elsewhere");

        var result = await chat.PostAsync(new PostMessage(users[0], "reply", foreign.Id, null));

        Assert.Equal(ChatOutcome.Invalid, result.Outcome);
        Assert.Empty(await chat.PageAsync(users[0], new MessageQuery(10)));
    }
}
