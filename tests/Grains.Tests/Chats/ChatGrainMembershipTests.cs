using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Tests.Chats;

/// <summary>Creation, dm deduplication, roles, and the users' chat lists the chat keeps in step.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class ChatGrainMembershipTests(PostgresClusterFixture fixture)
{
    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task OpenDm_RacingFromBothSides_YieldsOneChat()
    {
        var users = await ChatBuilder.RegisterUsersAsync(Grains, 2);
        var key = DmKeys.For(users[0], users[1]);

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
        {
            var (caller, other) = i % 2 == 0 ? (users[0], users[1]) : (users[1], users[0]);
            return Grains.GetGrain<IChatGrain>(DmKeys.For(caller, other)).OpenDmAsync(caller, other);
        }));

        Assert.All(results, r => Assert.Equal(ChatOutcome.Ok, r.Outcome));
        Assert.All(results, r => Assert.Equal(key, r.Value!.Id));
        Assert.Equal(2, results[0].Value!.Members.Length);
        Assert.Equal([key], (await Grains.GetUser(users[0]).GetChatIdsAsync()).ToArray());
        Assert.Equal([key], (await Grains.GetUser(users[1]).GetChatIdsAsync()).ToArray());
    }

    [Fact]
    public async Task OpenDm_WrongKeyOrUnknownUser_IsInvalid()
    {
        var users = await ChatBuilder.RegisterUsersAsync(Grains, 2);
        var ghost = Guid.NewGuid();

        var wrongKey = await Grains.GetGrain<IChatGrain>(Guid.NewGuid()).OpenDmAsync(users[0], users[1]);
        var unknown = await Grains.GetGrain<IChatGrain>(DmKeys.For(users[0], ghost)).OpenDmAsync(users[0], ghost);

        Assert.Equal(ChatOutcome.Invalid, wrongKey.Outcome);
        Assert.Equal(ChatOutcome.Invalid, unknown.Outcome);
        Assert.Empty(await Grains.GetUser(users[0]).GetChatIdsAsync());
    }

    [Fact]
    public async Task Create_WithUnknownMember_WritesNothing()
    {
        var users = await ChatBuilder.RegisterUsersAsync(Grains, 1);
        var chat = Grains.GetGrain<IChatGrain>(Guid.NewGuid());

        var result = await chat.CreateAsync(new CreateChat(users[0], ChatType.Group, "g", [Guid.NewGuid()]));

        Assert.Equal(ChatOutcome.Invalid, result.Outcome);
        Assert.Equal(ChatOutcome.NotFound, (await chat.GetAsync(users[0])).Outcome);
        Assert.Empty(await Grains.GetUser(users[0]).GetChatIdsAsync());
    }

    [Fact]
    public async Task Members_AddedAndRemoved_ByModeratorsOnly()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 2);
        var newcomers = await ChatBuilder.RegisterUsersAsync(Grains, 2);

        var byMember = await chat.AddMembersAsync(users[1], [newcomers[0]]);
        var byOwner = await chat.AddMembersAsync(users[0], [newcomers[0], newcomers[1], newcomers[0]]);
        var memberRemovesMember = await chat.RemoveMemberAsync(users[1], newcomers[0]);
        var ownerRemoves = await chat.RemoveMemberAsync(users[0], newcomers[0]);
        var leaves = await chat.RemoveMemberAsync(newcomers[1], newcomers[1]);

        Assert.Equal(ChatOutcome.Forbidden, byMember.Outcome);
        Assert.Equal(4, byOwner.Value!.Members.Length);
        Assert.Equal(ChatOutcome.Forbidden, memberRemovesMember.Outcome);
        Assert.Equal(ChatOutcome.Ok, ownerRemoves.Outcome);
        Assert.Equal(ChatOutcome.Ok, leaves.Outcome);
        Assert.Equal(2, (await chat.GetAsync(users[0])).Value!.Members.Length);
        Assert.Empty(await Grains.GetUser(newcomers[0]).GetChatIdsAsync());
        Assert.Equal(ChatOutcome.Forbidden, (await chat.GetAsync(newcomers[0])).Outcome);
    }

    [Fact]
    public async Task OwnerLeaving_HandsOwnershipOn()
    {
        var (chat, users) = await ChatBuilder.CreateGroupAsync(Grains, 3);

        await chat.RemoveMemberAsync(users[0], users[0]);
        var members = (await chat.GetAsync(users[1])).Value!.Members;

        Assert.Single(members, m => m.Role == MemberRole.Owner);
        Assert.DoesNotContain(members, m => m.UserId == users[0]);
    }

    [Fact]
    public async Task Channel_OnlyModeratorsPost()
    {
        var users = await ChatBuilder.RegisterUsersAsync(Grains, 2);
        var channel = Grains.GetGrain<IChatGrain>(Guid.NewGuid());
        await channel.CreateAsync(new CreateChat(users[0], ChatType.Channel, "news", [users[1]]));

        var byOwner = await channel.PostAsync(new PostMessage(users[0], "announcement", null, null));
        var byMember = await channel.PostAsync(new PostMessage(users[1], "reply", null, null));

        Assert.Equal(ChatOutcome.Ok, byOwner.Outcome);
        Assert.Equal(ChatOutcome.Forbidden, byMember.Outcome);
        Assert.Equal("Only the owner and admins post in a channel.", byMember.Detail);
    }
}
