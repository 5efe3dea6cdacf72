using System.Collections.Immutable;
using System.Security.Claims;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Caching;
using SafeGram.Gateway.Contracts;
using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Hosting;
using SafeGram.Gateway.Validation;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Endpoints;

internal static class ChatEndpoints
{
    private const string JsonContentType = "application/json; charset=utf-8";

    public static RouteGroupBuilder MapChatEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/chats").WithTags("Chats").RequireAuthorization();
        group.MapGet("/", ListChatsAsync).WithName("ListChats").Produces<ChatListResponse>();
        group.MapPost("/", CreateChatAsync).WithName("CreateChat").Produces<ChatResponse>().WithChatProblems();
        group.MapGet("/{chatId:guid}", GetChatAsync).WithName("GetChat").Produces<ChatResponse>().WithChatProblems();
        group.MapPost("/{chatId:guid}/members", AddMembersAsync).WithName("AddMembers").Produces<ChatResponse>().WithChatProblems();
        group.MapDelete("/{chatId:guid}/members/{userId:guid}", RemoveMemberAsync).WithName("RemoveMember").Produces<OkResponse>().WithChatProblems();
        group.MapGet("/{chatId:guid}/messages", GetMessagesAsync).WithName("GetMessages").Produces<MessagesResponse>().WithChatProblems()
            .WithWholeNumberQuery(("limit", 1, ChatLimits.MaxPageSize), ("afterSeq", 0, long.MaxValue), ("sinceVersion", 0, long.MaxValue));
        group.MapPost("/{chatId:guid}/messages", SendToChatAsync).WithName("SendToChat").RequireRateLimiting(RateLimits.SendPolicy)
            .Produces<MessageResponse>().WithChatProblems().ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/{chatId:guid}/read", MarkReadAsync).WithName("MarkRead").Produces<ReadMarkerResponse>().WithChatProblems();
        return group;
    }

    /// <summary>Every chat is asked in parallel; entries the chat itself no longer confirms are dropped from the index.</summary>
    private static async Task<IResult> ListChatsAsync(ClaimsPrincipal principal, IGrainFactory grains)
    {
        var userId = principal.GetUserId();
        var user = grains.GetUser(userId);
        var chatIds = await user.GetChatIdsAsync();
        var answers = await Task.WhenAll(chatIds.Select(id => grains.GetGrain<IChatGrain>(id).GetAsync(userId)));

        foreach (var (chatId, answer) in chatIds.Zip(answers))
        {
            if (answer.Outcome != ChatOutcome.Ok)
            {
                await user.LeftChatAsync(chatId);
            }
        }

        var chats = answers
            .Where(a => a.Outcome == ChatOutcome.Ok)
            .Select(a => a.Value!)
            .OrderByDescending(c => c.UpdatedAt)
            .Select(ChatResponse.From)
            .ToList();
        return TypedResults.Ok(new ChatListResponse(chats));
    }

    private static async Task<IResult> CreateChatAsync(CreateChatRequest request, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var userId = principal.GetUserId();
        var members = request.MemberIds ?? [];
        if (WireNames.ParseChatType(request.Type) is not { } type)
        {
            return ApiErrors.BadRequest("type must be dm, group or channel.");
        }

        if (members.Distinct().Count() > ChatLimits.MaxMembersAtCreation)
        {
            return ApiErrors.BadRequest($"At most {ChatLimits.MaxMembersAtCreation} members at creation.");
        }

        if (type == ChatType.Dm)
        {
            var others = members.Where(id => id != userId).Distinct().ToList();
            if (others.Count != 1)
            {
                return ApiErrors.BadRequest("A dm needs exactly one other user in memberIds.");
            }

            var dm = await grains.GetGrain<IChatGrain>(DmKeys.For(userId, others[0])).OpenDmAsync(userId, others[0]);
            return dm.ToHttp(ChatResponse.From);
        }

        if (ChatRules.CheckName(request.Name) is { } nameProblem)
        {
            return ApiErrors.BadRequest(nameProblem);
        }

        var created = await grains.GetGrain<IChatGrain>(Guid.NewGuid())
            .CreateAsync(new CreateChat(userId, type, request.Name!.Trim(), [.. members]));
        return created.ToHttp(ChatResponse.From);
    }

    private static async Task<IResult> GetChatAsync(Guid chatId, ClaimsPrincipal principal, IGrainFactory grains) =>
        (await grains.GetGrain<IChatGrain>(chatId).GetAsync(principal.GetUserId())).ToHttp(ChatResponse.From);

    private static async Task<IResult> AddMembersAsync(Guid chatId, AddMembersRequest request, ClaimsPrincipal principal, IGrainFactory grains)
    {
        if (request.UserIds is not { Count: > 0 } userIds)
        {
            return ApiErrors.BadRequest("userIds must list at least one user.");
        }

        if (userIds.Count > ChatLimits.MaxMembersAtCreation)
        {
            return ApiErrors.BadRequest($"At most {ChatLimits.MaxMembersAtCreation} users per call.");
        }

        var result = await grains.GetGrain<IChatGrain>(chatId).AddMembersAsync(principal.GetUserId(), [.. userIds]);
        return result.ToHttp(ChatResponse.From);
    }

    private static async Task<IResult> RemoveMemberAsync(Guid chatId, Guid userId, ClaimsPrincipal principal, IGrainFactory grains)
    {
        var result = await grains.GetGrain<IChatGrain>(chatId).RemoveMemberAsync(principal.GetUserId(), userId);
        return result.ToHttp(_ => OkResponse.Instance);
    }

    private static async Task<IResult> GetMessagesAsync(
        Guid chatId, ClaimsPrincipal principal, IGrainFactory grains, NewestPageCache newestPages,
        string? limit, string? before, string? afterSeq, string? sinceVersion)
    {
        if (!HistoryQueryRules.TryRead(limit, before, afterSeq, sinceVersion, out var query, out var detail))
        {
            return ApiErrors.BadRequest(detail);
        }

        var chat = grains.GetGrain<IChatGrain>(chatId);
        if (query.IsNewestPage())
        {
            return await GetNewestPageAsync(chat, principal.GetUserId(), query.Limit, newestPages);
        }

        var result = await chat.GetMessagesAsync(principal.GetUserId(), query);
        return result.ToHttp(messages => MessagesResponse.From(messages));
    }

    private static async Task<IResult> GetNewestPageAsync(IChatGrain chat, Guid callerId, int pageSize, NewestPageCache newestPages)
    {
        var chatId = chat.GetPrimaryKey();
        var result = await chat.GetNewestPageAsync(callerId, pageSize, newestPages.VersionOf(chatId, pageSize));
        var body = result.Outcome == ChatOutcome.Ok ? newestPages.BodyFor(chatId, pageSize, result.Value!) : null;
        if (result.Outcome == ChatOutcome.Ok && body is null)
        {
            // The copy held was replaced meanwhile: ask for the messages themselves.
            result = await chat.GetNewestPageAsync(callerId, pageSize, NewestPageCache.NoVersion);
            body = result.Outcome == ChatOutcome.Ok ? newestPages.BodyFor(chatId, pageSize, result.Value!) : null;
        }

        return body is not null ? TypedResults.Bytes(body, JsonContentType) : result.ToHttp(_ => OkResponse.Instance);
    }

    private static Task<IResult> SendToChatAsync(Guid chatId, SendMessageRequest request, ClaimsPrincipal principal, IGrainFactory grains) =>
        MessageEndpoints.SendAsync(chatId, request, principal.GetUserId(), grains);

    private static async Task<IResult> MarkReadAsync(Guid chatId, ClaimsPrincipal principal, IGrainFactory grains, MarkReadRequest? request = null)
    {
        if (request?.UpToSeq < 0)
        {
            return ApiErrors.BadRequest("upToSeq must not be negative.");
        }

        var result = await grains.GetGrain<IChatGrain>(chatId).MarkReadAsync(principal.GetUserId(), request?.UpToSeq);
        return result.ToHttp(seq => new ReadMarkerResponse(chatId, seq));
    }
}
