using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Contracts;

public sealed record CreateChatRequest(string? Type, string? Name, List<Guid>? MemberIds);

public sealed record AddMembersRequest(List<Guid>? UserIds);

public sealed record MarkReadRequest(long? UpToSeq);

public sealed record ChatListResponse(IReadOnlyList<ChatResponse> Chats);

public sealed record ChatResponse(
    Guid Id,
    string Type,
    string? Name,
    Guid CreatedBy,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<ChatMemberResponse> Members,
    MessageResponse? LastMessage,
    int UnreadCount,
    long Version)
{
    public static ChatResponse From(ChatInfo chat) => new(
        chat.Id, WireNames.Of(chat.Type), chat.Name, chat.CreatedBy, chat.CreatedAt, chat.UpdatedAt,
        [.. chat.Members.Select(ChatMemberResponse.From)],
        chat.LastMessage is { } last ? MessageResponse.From(last) : null,
        chat.UnreadCount, chat.Version);
}

/// <summary>A member's <c>user</c> never carries email or roles.</summary>
public sealed record ChatMemberResponse(Guid UserId, string Role, DateTimeOffset JoinedAt, MemberUser User)
{
    public static ChatMemberResponse From(ChatMember member) => new(
        member.UserId, WireNames.Of(member.Role), member.JoinedAt,
        new MemberUser(member.UserId, member.Username, member.AvatarUrl, Presence.Of(member.IsOnline)));
}

public sealed record MemberUser(Guid Id, string Username, string AvatarUrl, string Status);

public sealed record ReadMarkerResponse(Guid ChatId, long LastReadSeq);

/// <summary>The wire spelling of enums.</summary>
public static class WireNames
{
    public static string Of(ChatType type) => type switch
    {
        ChatType.Dm => "dm",
        ChatType.Group => "group",
        _ => "channel",
    };

    public static string Of(MemberRole role) => role switch
    {
        MemberRole.Owner => "owner",
        MemberRole.Admin => "admin",
        _ => "member",
    };

    public static ChatType? ParseChatType(string? type) => type switch
    {
        "dm" => ChatType.Dm,
        "group" => ChatType.Group,
        "channel" => ChatType.Channel,
        _ => null,
    };
}
