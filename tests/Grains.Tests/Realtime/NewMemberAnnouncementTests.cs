using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>Users added to a chat hear it with their own unread count, whether the chat's window or its log holds it.</summary>
[Collection(SessionClusterCollection.Name)]
public sealed class NewMemberAnnouncementTests(SessionClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task AddedUsers_HearTheChat_WithTheirOwnUnreadCount()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var (owner, returning) = (users[0], users[1]);
        // More messages than the chat keeps in memory, alternating senders: seq 1 is the owner's.
        for (var i = 0; i < 300; i++)
        {
            await chat.SendAsync(i % 2 == 0 ? owner : returning, $"message {i}");
        }

        await chat.MarkReadAsync(returning, 100);
        await chat.RemoveMemberAsync(owner, returning);
        var newcomer = (await ChatBuilder.RegisterUsersAsync(Grains, 1))[0];
        var gateway = new RecordingObserver();
        var reference = fixture.Client.CreateObjectReference<IGatewayObserver>(gateway);
        await Grains.GetUser(returning).ConnectAsync(reference);
        await Grains.GetUser(newcomer).ConnectAsync(reference);

        var added = await chat.AddMembersAsync(owner, [returning, newcomer]);

        Assert.Equal(ChatOutcome.Ok, added.Outcome);
        // The returning member read up to seq 100, which the window still holds; the newcomer read nothing, beyond it.
        Assert.Equal(100, (await gateway.WaitForAsync<AddedToChat>(returning)).Chat.UnreadCount);
        Assert.Equal(300, (await gateway.WaitForAsync<AddedToChat>(newcomer)).Chat.UnreadCount);
        Assert.Equal(100, (await chat.GetAsync(returning)).Value!.UnreadCount);
        Assert.Equal(300, (await chat.GetAsync(newcomer)).Value!.UnreadCount);
    }
}
