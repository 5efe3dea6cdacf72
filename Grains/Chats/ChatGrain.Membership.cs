using SafeGram.Grains.Abstractions.Realtime;
using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Chats;

internal sealed partial class ChatGrain
{
    private static readonly ChatFailure DirectChatIsFixed = ChatFailure.Forbidden("A direct chat has exactly its two members.");

    public async Task<ChatResult<ChatInfo>> CreateAsync(CreateChat command)
    {
        if (Exists)
        {
            return ChatFailure.Invalid("A chat with this id already exists.");
        }

        if (command.Type == ChatType.Dm)
        {
            return ChatFailure.Invalid("Direct chats are opened with OpenDmAsync.");
        }

        var invited = command.MemberIds.Where(id => id != command.CreatorId).Distinct().ToImmutableArray();
        var cards = await LoadCardsAsync([command.CreatorId, .. invited]);
        if (MissingUser(cards) is { } missing)
        {
            return ChatFailure.Invalid($"User {missing} does not exist.");
        }

        var now = Now();
        Chat.Type = command.Type;
        Chat.Name = command.Name;
        Chat.CreatedBy = command.CreatorId;
        Chat.CreatedAt = now;
        foreach (var (userId, card) in cards)
        {
            AddMember(userId, card!, userId == command.CreatorId ? MemberRole.Owner : MemberRole.Member, now);
        }

        await CommitMembershipAsync(now);
        await TellUsersAsync(MemberIds, joined: true);
        return ChatResult.Ok(await AnnounceNewMembersAsync(MemberIds, command.CreatorId));
    }

    public async Task<ChatResult<ChatInfo>> OpenDmAsync(Guid callerId, Guid otherId)
    {
        if (callerId == otherId || DmKeys.For(callerId, otherId) != ChatId)
        {
            return ChatFailure.Invalid("A direct chat needs exactly one other user.");
        }

        if (Exists)
        {
            await CompleteJoinAsync([callerId, otherId]);
            return await GetAsync(callerId);
        }

        var cards = await LoadCardsAsync([callerId, otherId]);
        if (MissingUser(cards) is { } missing)
        {
            return ChatFailure.Invalid($"User {missing} does not exist.");
        }

        var now = Now();
        Chat.Type = ChatType.Dm;
        Chat.CreatedBy = callerId;
        Chat.CreatedAt = now;
        foreach (var (userId, card) in cards)
        {
            AddMember(userId, card!, MemberRole.Member, now);
        }

        await CommitMembershipAsync(now);
        await TellUsersAsync(MemberIds, joined: true);
        return ChatResult.Ok(await AnnounceNewMembersAsync(MemberIds, callerId));
    }

    public async Task<ChatResult<ChatInfo>> AddMembersAsync(Guid callerId, ImmutableArray<Guid> userIds)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        if (Chat.Type == ChatType.Dm || !IsModerator(callerId))
        {
            return Chat.Type == ChatType.Dm ? DirectChatIsFixed : ChatFailure.Forbidden("Only the owner and admins add members.");
        }

        var requested = userIds.Distinct().ToImmutableArray();
        var added = requested.Where(id => !Chat.Members.ContainsKey(id)).ToImmutableArray();
        if (added.IsEmpty)
        {
            await CompleteJoinAsync(requested);
            return ChatResult.Ok(await DescribeForAsync(callerId));
        }

        if (Chat.Members.Count + added.Length > ChatLimits.MaxMembers)
        {
            return ChatFailure.Invalid($"A chat has at most {ChatLimits.MaxMembers} members.");
        }

        var cards = await LoadCardsAsync(added);
        if (MissingUser(cards) is { } missing)
        {
            return ChatFailure.Invalid($"User {missing} does not exist.");
        }

        var now = Now();
        foreach (var (userId, card) in cards)
        {
            AddMember(userId, card!, MemberRole.Member, now);
        }

        await CommitMembershipAsync(now);
        await TellUsersAsync(added, joined: true);
        foreach (var userId in added)
        {
            PublishToMembers(new MembershipChanged(ChatId, userId, Added: true, _version));
        }

        return ChatResult.Ok(await AnnounceNewMembersAsync(added, callerId));
    }

    public async Task<ChatResult<ChatInfo>> RemoveMemberAsync(Guid callerId, Guid userId)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        if (!Chat.Members.TryGetValue(userId, out var target))
        {
            return ChatFailure.NotFound;
        }

        var leaving = callerId == userId;
        var mayRemove = leaving
            ? Chat.Type != ChatType.Dm
            : Chat.Members[callerId].Role > target.Role && IsModerator(callerId);
        if (!mayRemove)
        {
            return Chat.Type == ChatType.Dm
                ? DirectChatIsFixed
                : ChatFailure.Forbidden("Only the owner and admins remove members, and only members of a lower role; anyone may leave.");
        }

        // The read marker stays, as its row does: a member added back reads on from where they were.
        Chat.Members.Remove(userId);
        if (target.Role == MemberRole.Owner)
        {
            HandOverOwnership();
        }

        await CommitMembershipAsync(Now());
        await TellUsersAsync([userId], joined: false);
        // The removed user hears it too, and nothing after it.
        Publish(new MembershipChanged(ChatId, userId, Added: false, _version), [.. Chat.Members.Keys, userId]);
        _routes.Remove(userId);
        _unrouted.Remove(userId);
        return leaving
            ? ChatResult.Ok(DescribeForOutsider())
            : ChatResult.Ok(await DescribeForAsync(callerId));
    }

    /// <summary>
    /// Sends <c>chat:new</c> to users who just joined, each with their own unread count (the history they join counts);
    /// the chat as <paramref name="callerId"/> sees it is returned.
    /// </summary>
    private async Task<ChatInfo> AnnounceNewMembersAsync(IReadOnlyCollection<Guid> joined, Guid callerId)
    {
        await LoadRoutesAsync(joined);
        var chat = await DescribeForAsync(callerId);
        var unread = await UnreadCountsAsync(joined);
        foreach (var sameCount in joined.GroupBy(userId => unread[userId]))
        {
            Publish(new AddedToChat(chat with { UnreadCount = sameCount.Key }), sameCount);
        }

        return chat;
    }

    /// <summary>
    /// Each user's unread count: from the window where it holds everything after the user's read position, otherwise
    /// one count by sender per read position, not one query per user (a call may add 200 members to a long chat).
    /// </summary>
    private async Task<Dictionary<Guid, int>> UnreadCountsAsync(IReadOnlyCollection<Guid> userIds)
    {
        var unread = new Dictionary<Guid, int>(userIds.Count);
        foreach (var samePosition in userIds.GroupBy(userId => _readMarkers.GetValueOrDefault(userId)))
        {
            IReadOnlyDictionary<Guid, int>? bySender = null;
            foreach (var userId in samePosition)
            {
                if (_window.TryCountUnread(userId, samePosition.Key) is { } counted)
                {
                    unread[userId] = counted;
                    continue;
                }

                bySender ??= await log.CountBySenderAsync(ChatId, samePosition.Key, CancellationToken.None);
                unread[userId] = bySender.Values.Sum() - bySender.GetValueOrDefault(userId);
            }
        }

        return unread;
    }

    /// <summary>An owner who leaves hands the chat to the longest-serving admin, else the longest-serving member.</summary>
    private void HandOverOwnership()
    {
        var heir = Chat.Members
            .OrderByDescending(m => m.Value.Role)
            .ThenBy(m => m.Value.JoinedAt)
            .Select(m => m.Value)
            .FirstOrDefault();
        heir?.Role = MemberRole.Owner;
    }

    private void AddMember(Guid userId, UserCard card, MemberRole role, DateTimeOffset now) =>
        Chat.Members[userId] = new MemberState { Role = role, JoinedAt = now, Username = card.Username, AvatarUrl = card.AvatarUrl };

    /// <summary>Saves the members changed in memory; when that fails the activation goes with them (see <see cref="WriteAsync{T}"/>).</summary>
    private async Task CommitMembershipAsync(DateTimeOffset now)
    {
        Chat.Version = _version + 1;
        Chat.UpdatedAt = now;
        await WriteAsync(() => state.WriteStateAsync());
        _version = Chat.Version;
    }

    /// <summary>
    /// A retried add or DM open whose first attempt saved the chat but did not reach every member's user grain:
    /// telling them again is harmless (a user's chat list is a set) and finishes what that attempt began.
    /// </summary>
    private async Task CompleteJoinAsync(ImmutableArray<Guid> members)
    {
        await TellUsersAsync(members, joined: true);
        await LoadRoutesAsync(members.Where(id => !_routes.ContainsKey(id)));
    }

    /// <summary>Keeps each user's chat list (an index the chat owns) in step; awaited so a caller's next list call sees it.</summary>
    private Task TellUsersAsync(IEnumerable<Guid> userIds, bool joined) =>
        Task.WhenAll(userIds.Select(id => joined
            ? GrainFactory.GetUser(id).JoinedChatAsync(ChatId)
            : GrainFactory.GetUser(id).LeftChatAsync(ChatId)));

    private static Guid? MissingUser((Guid UserId, UserCard? Card)[] cards) =>
        cards.Where(c => c.Card is null).Select(c => (Guid?)c.UserId).FirstOrDefault();

    private async Task<(Guid UserId, UserCard? Card)[]> LoadCardsAsync(IEnumerable<Guid> userIds) =>
        await Task.WhenAll(userIds.Select(async id => (id, await GrainFactory.GetUser(id).GetCardAsync())));

    /// <summary>What a member who just left may still be told: the chat without its members.</summary>
    private ChatInfo DescribeForOutsider() =>
        new(ChatId, Chat.Type, Chat.Name, Chat.CreatedBy, Chat.CreatedAt, Chat.UpdatedAt, [], null, 0, _version);
}
