using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Chats;

internal sealed partial class ChatGrain
{
    /// <summary>A member's typing indicator is relayed at most this often unless it changes.</summary>
    private static readonly TimeSpan TypingInterval = TimeSpan.FromSeconds(1);

    private readonly HashSet<Guid> _online = [];
    private readonly Dictionary<Guid, (bool IsTyping, DateTimeOffset At)> _typing = [];

    public Task<bool> IsMemberAsync(Guid userId) => Task.FromResult(Exists && Chat.Members.ContainsKey(userId));

    public Task TypingAsync(Guid userId, bool isTyping)
    {
        if (!Exists || !Chat.Members.ContainsKey(userId))
        {
            return Task.CompletedTask;
        }

        var now = time.GetUtcNow();
        if (_typing.TryGetValue(userId, out var last) && last.IsTyping == isTyping && now - last.At < TypingInterval)
        {
            return Task.CompletedTask;
        }

        _typing[userId] = (isTyping, now);
        Publish(new UserTyping(ChatId, userId, isTyping), Chat.Members.Keys.Where(id => id != userId));
        return Task.CompletedTask;
    }

    public Task MemberPresenceAsync(PresenceChanged presence)
    {
        if (!Exists || !Chat.Members.ContainsKey(presence.UserId))
        {
            return Task.CompletedTask;
        }

        var changed = presence.IsOnline ? _online.Add(presence.UserId) : _online.Remove(presence.UserId);
        if (changed)
        {
            Publish(presence, Chat.Members.Keys.Where(id => id != presence.UserId));
        }

        return Task.CompletedTask;
    }

    /// <summary>Asks each member once, on activation; afterwards their user grains keep this chat told.</summary>
    private async Task LoadPresenceAsync()
    {
        var members = Chat.Members.Keys.ToList();
        var online = await Task.WhenAll(members.Select(id => GrainFactory.GetUser(id).IsOnlineAsync()));
        _online.Clear();
        _online.UnionWith(members.Where((_, i) => online[i]));
    }

    /// <summary>Pushes to each target's user grain; one-way, so neither a slow user nor a dead gateway delays the chat.</summary>
    private void Publish(ChatEvent chatEvent, IEnumerable<Guid> targets)
    {
        foreach (var userId in targets)
        {
            _ = GrainFactory.GetUser(userId).DeliverAsync(chatEvent);
        }
    }

    private void PublishToMembers(ChatEvent chatEvent) => Publish(chatEvent, Chat.Members.Keys);
}
