using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>Everything a chat acknowledged is still there after every silo restarts on the same database.</summary>
public sealed class ChatRestartTests
{
    [Fact]
    public async Task Chat_SurvivesAFullClusterRestart()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        Guid chatId;
        Guid[] users;
        ChatInfo before;
        ChatMessage[] history;
        await using (var first = await StartClusterAsync(database))
        {
            (var chat, users) = await ChatBuilder.CreateGroupAsync(first.Client, 3);
            chatId = chat.GetPrimaryKey();
            var kept = await chat.SendAsync(users[0], "kept");
            var edited = await chat.SendAsync(users[1], "to edit");
            var deleted = await chat.SendAsync(users[2], "to delete");
            await chat.EditAsync(users[1], edited.Id, "edited");
            await chat.DeleteAsync(users[0], deleted.Id);
            await chat.ReactAsync(users[2], kept.Id, "👍");
            await chat.MarkReadAsync(users[1], null);
            await chat.RemoveMemberAsync(users[0], users[2]);
            before = (await chat.GetAsync(users[1])).Value!;
            history = [.. await chat.PageAsync(users[1], new MessageQuery(50, SinceVersion: 0))];
        }

        await using var second = await StartClusterAsync(database);
        var again = second.Client.GetGrain<IChatGrain>(chatId);
        var after = (await again.GetAsync(users[1])).Value!;
        var historyAfter = await again.PageAsync(users[1], new MessageQuery(50, SinceVersion: 0));
        var next = await again.SendAsync(users[0], "after restart");

        Assert.Equal(before.Version, after.Version);
        Assert.Equal(before.Members.Select(m => (m.UserId, m.Role)), after.Members.Select(m => (m.UserId, m.Role)));
        Assert.Equal(0, after.UnreadCount);
        Assert.Equal(history.Select(Snapshot), historyAfter.Select(Snapshot));
        Assert.Equal(4, next.Seq);
        Assert.Equal(before.Version + 1, next.Version);
        Assert.Equal([chatId], (await second.Client.GetUser(users[1]).GetChatIdsAsync()).ToArray());
        Assert.Empty(await second.Client.GetUser(users[2]).GetChatIdsAsync());
    }

    private static string Snapshot(ChatMessage m) =>
        $"{m.Id}|{m.Seq}|{m.Text}|{m.EditedAt:O}|{m.DeletedAt:O}|{m.Version}|{string.Join(',', m.Reactions.Select(r => $"{r.UserId}{r.Emoji}"))}";

    private static Task<InProcessTestCluster> StartClusterAsync(string database) =>
        PostgresClusters.StartAsync(database, silos: 2, serviceId: "chat-restart-test");
}
