namespace SafeGram.Gateway.Endpoints;

internal static class EndpointMetadata
{
    /// <summary>The error answers every chat and message endpoint may give, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithChatProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);
}
