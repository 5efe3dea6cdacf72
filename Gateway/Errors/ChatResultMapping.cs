using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Gateway.Errors;

/// <summary>Maps a grain's expected outcome to the contract: 200, 400 with detail, 403 or 404.</summary>
internal static class ChatResultMapping
{
    public static IResult ToHttp<T>(this ChatResult<T> result, Func<T, object> response) => result.Outcome switch
    {
        ChatOutcome.Ok => TypedResults.Ok(response(result.Value!)),
        ChatOutcome.Forbidden => ApiErrors.Forbidden(result.Detail),
        ChatOutcome.Invalid => ApiErrors.BadRequest(result.Detail ?? "The request is not valid for this chat."),
        _ => ApiErrors.NotFound(),
    };
}
