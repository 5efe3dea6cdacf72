using System.Security.Claims;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Contracts;
using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Hosting;
using SafeGram.Gateway.Validation;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Endpoints;

internal static class MessageEndpoints
{
    public static RouteGroupBuilder MapMessageEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/messages").WithTags("Messages").RequireAuthorization();
        group.MapPost("/", SendMessageAsync).WithName("SendMessage").RequireRateLimiting(RateLimits.SendPolicy)
            .Produces<MessageResponse>().WithChatProblems().ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/{messageId:guid}/react", ReactAsync).WithName("React").Produces<ReactionChangeResponse>().WithChatProblems();
        group.MapPost("/{messageId:guid}/edit", EditAsync).WithName("EditMessage").Produces<MessageResponse>().WithChatProblems();
        group.MapPost("/{messageId:guid}/delete", DeleteAsync).WithName("DeleteMessage").Produces<OkResponse>().WithChatProblems();
        return group;
    }

    internal static async Task<IResult> SendAsync(Guid chatId, SendMessageRequest request, Guid senderId, IGrainFactory grains)
    {
        if ((ChatRules.CheckText(request.Text) ?? ChatRules.CheckClientMessageId(request.ClientMessageId)) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        if (!ChatRules.TryParseReplyTo(request.ReplyTo, out var replyTo))
        {
            return ApiErrors.BadRequest("replyTo must be a message id.");
        }

        var clientMessageId = string.IsNullOrEmpty(request.ClientMessageId) ? null : request.ClientMessageId;
        var result = await grains.GetGrain<IChatGrain>(chatId)
            .PostAsync(new PostMessage(senderId, request.Text!.Trim(), replyTo, clientMessageId));
        return result.ToHttp(MessageResponse.From);
    }

    private static Task<IResult> SendMessageAsync(SendMessageRequest request, ClaimsPrincipal principal, IGrainFactory grains) =>
        request.ChatId is { } chatId && chatId != Guid.Empty
            ? SendAsync(chatId, request, principal.GetUserId(), grains)
            : Task.FromResult(ApiErrors.BadRequest("chatId is required."));

    private static async Task<IResult> ReactAsync(Guid messageId, ReactRequest request, ClaimsPrincipal principal, IGrainFactory grains)
    {
        if (ChatRules.CheckEmoji(request.Emoji) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        return await OnMessageChatAsync(messageId, grains, async chat =>
            (await chat.ReactAsync(principal.GetUserId(), messageId, request.Emoji!)).ToHttp(ReactionChangeResponse.From));
    }

    private static async Task<IResult> EditAsync(Guid messageId, EditMessageRequest request, ClaimsPrincipal principal, IGrainFactory grains)
    {
        if (ChatRules.CheckText(request.Text) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        return await OnMessageChatAsync(messageId, grains, async chat =>
            (await chat.EditAsync(principal.GetUserId(), messageId, request.Text!.Trim())).ToHttp(MessageResponse.From));
    }

    /// <summary>Always a delete for everyone: <c>deleteForAll</c> is accepted for old clients and changes nothing.</summary>
    private static Task<IResult> DeleteAsync(Guid messageId, ClaimsPrincipal principal, IGrainFactory grains, DeleteMessageRequest? request = null) =>
        OnMessageChatAsync(messageId, grains, async chat =>
            (await chat.DeleteAsync(principal.GetUserId(), messageId)).ToHttp(_ => OkResponse.Instance));

    private static async Task<IResult> OnMessageChatAsync(Guid messageId, IGrainFactory grains, Func<IChatGrain, Task<IResult>> action)
    {
        var chatId = await grains.GetGrain<IMessageDirectoryGrain>(0).FindChatAsync(messageId);
        return chatId is { } id ? await action(grains.GetGrain<IChatGrain>(id)) : ApiErrors.NotFound();
    }
}
