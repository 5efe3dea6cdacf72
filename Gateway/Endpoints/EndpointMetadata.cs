using System.Globalization;
using Microsoft.OpenApi;

namespace SafeGram.Gateway.Endpoints;

internal static class EndpointMetadata
{
    /// <summary>The error answers every chat and message endpoint may give, for the OpenAPI document.</summary>
    public static RouteHandlerBuilder WithChatProblems(this RouteHandlerBuilder endpoint) => endpoint
        .ProducesProblem(StatusCodes.Status400BadRequest)
        .ProducesProblem(StatusCodes.Status401Unauthorized)
        .ProducesProblem(StatusCodes.Status403Forbidden)
        .ProducesProblem(StatusCodes.Status404NotFound);

    /// <summary>
    /// Documents query parameters that the handler reads from raw strings (to answer malformed ones with a detail) as
    /// the whole numbers they are.
    /// </summary>
    public static RouteHandlerBuilder WithWholeNumberQuery(
        this RouteHandlerBuilder endpoint, params (string Name, long Minimum, long Maximum)[] parameters) =>
        endpoint.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            foreach (var parameter in operation.Parameters?.OfType<OpenApiParameter>() ?? [])
            {
                if (Array.FindIndex(parameters, p => p.Name == parameter.Name) is var index and >= 0)
                {
                    var (_, minimum, maximum) = parameters[index];
                    parameter.Schema = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Integer,
                        Format = maximum <= int.MaxValue ? "int32" : "int64",
                        Minimum = minimum.ToString(CultureInfo.InvariantCulture),
                        Maximum = maximum.ToString(CultureInfo.InvariantCulture),
                    };
                }
            }

            return Task.CompletedTask;
        });
}
