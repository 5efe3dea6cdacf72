using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Tests.Chats;

/// <summary>Registers fresh users and puts them in a fresh group, so tests never share a chat.</summary>
internal static class ChatBuilder
{
    public static async Task<Guid[]> RegisterUsersAsync(IGrainFactory grains, int count) =>
        await Task.WhenAll(Enumerable.Range(0, count).Select(async _ =>
            (await grains.GetGrain<IAccountDirectoryGrain>(0)
                .RegisterAsync(new NewAccount("t" + Guid.NewGuid().ToString("N")[..12], null, "hash"))).UserId));

    /// <summary>A group owned by the first user, with every user a member.</summary>
    public static async Task<(IChatGrain Chat, Guid[] Users)> CreateGroupAsync(IGrainFactory grains, int members)
    {
        var users = await RegisterUsersAsync(grains, members);
        var chat = grains.GetGrain<IChatGrain>(Guid.NewGuid());
        var created = await chat.CreateAsync(new CreateChat(users[0], ChatType.Group, "test group", [.. users.Skip(1)]));
        Assert.Equal(ChatOutcome.Ok, created.Outcome);
        return (chat, users);
    }

    public static async Task<ChatMessage> SendAsync(this IChatGrain chat, Guid sender, string text, string? clientId = null)
    {
        var result = await chat.PostAsync(new PostMessage(sender, text, null, clientId));
        Assert.Equal(ChatOutcome.Ok, result.Outcome);
        return result.Value!;
    }

    public static async Task<ImmutableArray<ChatMessage>> PageAsync(this IChatGrain chat, Guid caller, MessageQuery query)
    {
        var result = await chat.GetMessagesAsync(caller, query);
        Assert.Equal(ChatOutcome.Ok, result.Outcome);
        return result.Value;
    }
}
