using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Common;

namespace SafeGram.Grains.Chats;

/// <summary>
/// The single writer of one chat. Membership and metadata are grain state (ADO.NET provider); messages,
/// reactions and read markers are rows of the message log, written before any caller is answered.
/// Counters come from the log on activation, so a seq can never be reused after a crash.
/// </summary>
internal sealed partial class ChatGrain(
    [PersistentState("chat", StorageNames.Main)] IPersistentState<ChatState> state,
    IMessageLog log,
    TimeProvider time,
    ILogger<ChatGrain> logger) : Grain, IChatGrain
{
    private const int WindowSize = 256;

    private static readonly ChatFailure NotAMember = ChatFailure.Forbidden("Only members of this chat may do this.");

    private readonly MessageWindow _window = new(WindowSize);
    private Dictionary<Guid, long> _readMarkers = [];
    private long _lastSeq;
    private long _version;

    private Guid ChatId => this.GetPrimaryKey();

    private bool Exists => state.RecordExists;

    private ChatState Chat => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists)
        {
            await LoadLogAsync(cancellationToken);
            await LoadRoutesAsync(Chat.Members.Keys);
        }
    }

    public async Task<ChatResult<ChatInfo>> GetAsync(Guid callerId)
    {
        if (Authorize(callerId) is { } failure)
        {
            return failure;
        }

        return ChatResult.Ok(await DescribeForAsync(callerId));
    }

    /// <summary>NotFound before the chat exists, Forbidden for anyone who is not a member; <c>null</c> when allowed.</summary>
    private ChatFailure? Authorize(Guid callerId) =>
        !Exists ? ChatFailure.NotFound
        : !Chat.Members.ContainsKey(callerId) ? NotAMember
        : null;

    private bool IsModerator(Guid userId) =>
        Chat.Members.TryGetValue(userId, out var member) && member.Role is MemberRole.Owner or MemberRole.Admin;

    private async Task LoadLogAsync(CancellationToken cancellationToken)
    {
        var head = await log.GetHeadAsync(ChatId, cancellationToken);
        _lastSeq = head.LastSeq;
        _version = Math.Max(head.LastVersion, Chat.Version);
        _window.Load(await log.GetRowsAsync(ChatId, _lastSeq - WindowSize + 1, _lastSeq, cancellationToken), _lastSeq);
        _readMarkers = new Dictionary<Guid, long>(await log.GetReadMarkersAsync(ChatId, cancellationToken));
    }

    private async Task<ChatInfo> DescribeForAsync(Guid userId)
    {
        var lastMessage = _window.LastMessage(out var known);
        if (!known)
        {
            lastMessage = (await log.GetBeforeAsync(ChatId, _lastSeq + 1, 1, CancellationToken.None)).SingleOrDefault();
        }

        var readUpTo = _readMarkers.GetValueOrDefault(userId);
        var unread = _window.TryCountUnread(userId, readUpTo)
            ?? await log.CountUnreadAsync(ChatId, userId, readUpTo, CancellationToken.None);
        var updatedAt = lastMessage is { } last && last.CreatedAt > Chat.UpdatedAt ? last.CreatedAt : Chat.UpdatedAt;

        return new ChatInfo(
            ChatId, Chat.Type, Chat.Name, Chat.CreatedBy, Chat.CreatedAt, updatedAt,
            [.. Chat.Members.OrderBy(m => m.Value.JoinedAt).ThenBy(m => m.Key).Select(m => DescribeMember(m.Key, m.Value, IsOnline(m.Key)))],
            lastMessage, unread, _version);
    }

    private static ChatMember DescribeMember(Guid userId, MemberState member, bool isOnline) =>
        new(userId, member.Role, member.JoinedAt, member.Username, member.AvatarUrl, isOnline);

    /// <summary>Wall-clock now at the wire's precision, so a row reads back exactly as it was written.</summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond));
    }

    private ImmutableArray<Guid> MemberIds => [.. Chat.Members.Keys];
}
