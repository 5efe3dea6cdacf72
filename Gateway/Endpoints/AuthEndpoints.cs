using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Contracts;
using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Validation;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Security;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Endpoints;

internal static class AuthEndpoints
{
    public static RouteGroupBuilder MapAuthEndpoints(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/auth").WithTags("Auth");
        group.MapPost("/register", RegisterAsync).WithName("Register")
            .Produces<AuthResponse>().ProducesProblem(StatusCodes.Status400BadRequest);
        group.MapPost("/login", LoginAsync).WithName("Login")
            .Produces<AuthResponse>().ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status429TooManyRequests);
        return group;
    }

    private static async Task<IResult> RegisterAsync(
        RegisterRequest request, IGrainFactory grains, PasswordHasher passwords, TokenIssuer tokens, CancellationToken cancellationToken)
    {
        if ((AccountRules.CheckUsername(request.Username)
             ?? AccountRules.CheckPassword(request.Password)
             ?? AccountRules.CheckEmail(request.Email)) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        var username = request.Username!.Trim();
        var hash = await passwords.HashAsync(request.Password!, cancellationToken);
        var result = await grains.GetGrain<IAccountDirectoryGrain>(0)
            .RegisterAsync(new NewAccount(username, AccountRules.NormalizeEmail(request.Email), hash));

        return result.Status switch
        {
            RegisterStatus.Created => TypedResults.Ok(new AuthResponse(
                tokens.Issue(result.UserId, username), new AuthUser(result.UserId, username, Presence.Offline))),
            RegisterStatus.EmailTaken => ApiErrors.BadRequest(ErrorCodes.EmailExists, "That email is already registered."),
            _ => ApiErrors.BadRequest(ErrorCodes.UserExists, "That username is taken."),
        };
    }

    private static async Task<IResult> LoginAsync(
        LoginRequest request, HttpContext http, IGrainFactory grains, PasswordHasher passwords, TokenIssuer tokens,
        CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(request.Username) || string.IsNullOrEmpty(request.Password))
        {
            return ApiErrors.BadRequest("username and password are required.");
        }

        if ((AccountRules.CheckPassword(request.Password) ?? TextRules.CheckStorable("username", request.Username)) is { } problem)
        {
            return ApiErrors.BadRequest(problem);
        }

        var byUsername = grains.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.ForUsername(Usernames.Normalize(request.Username)));
        var byAddress = grains.GetGrain<ILoginThrottleGrain>(LoginThrottleKeys.ForAddress(ClientAddress(http)));
        var waits = await Task.WhenAll(byUsername.GetRetryAfterAsync(), byAddress.GetRetryAfterAsync());
        if (waits.Max() is var wait && wait > TimeSpan.Zero)
        {
            return ApiErrors.TooMany(ErrorCodes.TooManyAttempts, wait, "Too many failed sign-ins; try again later.");
        }

        var credentials = await grains.GetGrain<IAccountDirectoryGrain>(0).FindCredentialsAsync(request.Username);
        if (!await passwords.VerifyAsync(request.Password, credentials?.PasswordHash, cancellationToken))
        {
            await Task.WhenAll(byUsername.RecordFailureAsync(), byAddress.RecordFailureAsync());
            return ApiErrors.BadRequest(ErrorCodes.BadCredentials, "Wrong username or password.");
        }

        var user = grains.GetUser(credentials!.UserId);
        await Task.WhenAll(byUsername.ResetAsync(), user.RecordSignInAsync());
        var profile = await user.GetProfileAsync();
        return TypedResults.Ok(new AuthResponse(
            tokens.Issue(credentials.UserId, credentials.Username),
            new AuthUser(credentials.UserId, credentials.Username, Presence.Of(profile?.IsOnline ?? false))));
    }

    private static string ClientAddress(HttpContext http) =>
        http.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
