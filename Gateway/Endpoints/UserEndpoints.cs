using System.Security.Claims;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Contracts;
using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Validation;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Endpoints;

internal static class UserEndpoints
{
    private const int SearchLimit = 20;
    private const int MaxQueryLength = 64;

    public static RouteGroupBuilder MapUserEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/users").WithTags("Users").RequireAuthorization();
        group.MapGet("/me", GetMeAsync).WithName("GetMe").Produces<MeResponse>().ProducesProblem(StatusCodes.Status401Unauthorized);
        group.MapGet("/search", SearchAsync).WithName("SearchUsers").Produces<UserSearchResponse>().ProducesProblem(StatusCodes.Status400BadRequest);
        return group;
    }

    private static async Task<IResult> GetMeAsync(ClaimsPrincipal principal, IGrainFactory grains)
    {
        // A valid token for an account that no longer exists is as good as no token.
        var profile = await grains.GetUser(principal.GetUserId()).GetProfileAsync();
        return profile is null ? ApiErrors.Unauthorized() : TypedResults.Ok(MeResponse.From(profile));
    }

    private static async Task<IResult> SearchAsync(string? q, IGrainFactory grains)
    {
        var query = q?.Trim();
        if (string.IsNullOrEmpty(query))
        {
            return ApiErrors.BadRequest("q is required.");
        }

        if (query.Length > MaxQueryLength)
        {
            return ApiErrors.BadRequest($"q must be at most {MaxQueryLength} characters.");
        }

        if (TextRules.CheckStorable("q", query) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        var cards = await grains.GetGrain<IAccountDirectoryGrain>(0).SearchAsync(query, SearchLimit);
        return TypedResults.Ok(new UserSearchResponse([.. cards.Select(UserSearchHit.From)]));
    }
}
