using Orleans.Concurrency;
using SafeGram.Grains.Abstractions.Realtime;
using System.Collections.Immutable;

namespace SafeGram.Grains.Abstractions.Chats;

/// <summary>
/// One conversation: the single writer and the authority for its members, roles, counters and every
/// authorization decision. Every method takes the caller and answers NotFound before it exists and
/// Forbidden to non-members, so nothing about a chat leaks to outsiders.
/// </summary>
[Alias("SafeGram.Grains.Abstractions.Chats.IChatGrain")]
public interface IChatGrain : IGrainWithGuidKey
{
    /// <summary>Creates a group or channel under this grain's key; Invalid if it already exists or a member does not.</summary>
    [Alias("CreateAsync")]
    Task<ChatResult<ChatInfo>> CreateAsync(CreateChat command);

    /// <summary>Creates, or returns, the direct chat of two users; the key must be <see cref="DmKeys.For"/> of the pair.</summary>
    [Alias("OpenDmAsync")]
    Task<ChatResult<ChatInfo>> OpenDmAsync(Guid callerId, Guid otherId);

    [Alias("GetAsync")]
    Task<ChatResult<ChatInfo>> GetAsync(Guid callerId);

    /// <summary>Owner or admin of a group or channel adds existing users; members already present are ignored.</summary>
    [Alias("AddMembersAsync")]
    Task<ChatResult<ChatInfo>> AddMembersAsync(Guid callerId, ImmutableArray<Guid> userIds);

    /// <summary>Owner or admin removes a member, or a member leaves (<paramref name="userId"/> = caller).</summary>
    [Alias("RemoveMemberAsync")]
    Task<ChatResult<ChatInfo>> RemoveMemberAsync(Guid callerId, Guid userId);

    [Alias("GetMessagesAsync")]
    Task<ChatResult<ImmutableArray<ChatMessage>>> GetMessagesAsync(Guid callerId, MessageQuery query);

    /// <summary>
    /// The newest <paramref name="limit"/> messages, or only the version when it equals <paramref name="knownVersion"/>
    /// (the page has not changed since the caller read it).
    /// </summary>
    [Alias("GetNewestPageAsync")]
    Task<ChatResult<NewestPage>> GetNewestPageAsync(Guid callerId, int limit, long knownVersion);

    /// <summary>Appends a message; returns only after its row is committed. A retried send returns the original.</summary>
    [Alias("PostAsync")]
    Task<ChatResult<ChatMessage>> PostAsync(PostMessage command);

    /// <summary>The sender edits their own, undeleted message.</summary>
    [Alias("EditAsync")]
    Task<ChatResult<ChatMessage>> EditAsync(Guid callerId, Guid messageId, string text);

    /// <summary>The sender, or an owner/admin, erases a message's text; the row stays as a tombstone. Idempotent.</summary>
    [Alias("DeleteAsync")]
    Task<ChatResult<ChatMessage>> DeleteAsync(Guid callerId, Guid messageId);

    /// <summary>One reaction per member per message: a new emoji replaces, the same emoji removes.</summary>
    [Alias("ReactAsync")]
    Task<ChatResult<ReactionChange>> ReactAsync(Guid callerId, Guid messageId, string emoji);

    /// <summary>Moves the caller's read marker forward (never back); <c>null</c> means up to the newest message.</summary>
    [Alias("MarkReadAsync")]
    Task<ChatResult<long>> MarkReadAsync(Guid callerId, long? upToSeq);

    /// <summary>Whether the user may hear this chat's events (used to check <c>subscribe</c> frames).</summary>
    [Alias("IsMemberAsync")]
    Task<bool> IsMemberAsync(Guid userId);

    /// <summary>A member started or stopped typing; relayed to the other members, rate-limited, members only.</summary>
    [OneWay]
    [Alias("TypingAsync")]
    Task TypingAsync(Guid userId, bool isTyping);

    /// <summary>A member's gateways changed; the chat routes to them, and relays presence to the other members.</summary>
    [OneWay]
    [Alias("MemberSessionsAsync")]
    Task MemberSessionsAsync(MemberSessions sessions);
}
