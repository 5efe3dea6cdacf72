using SafeGram.Bench.Cli;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Baseline;

/// <summary>
/// <c>serve-baseline --port N</c>: the ceiling. A bare Kestrel minimal API on the gateway's HTTP stack (same host
/// builder, same JSON serializer, same log levels as the gateway's appsettings.json, started with server GC, ASP.NET
/// Core's default; the gateway's own choice of workstation GC counts against it) answering GET /json with ~200 bytes of
/// JSON.
/// </summary>
internal static class BaselineServer
{
    private static readonly BaselineProfile Profile = new(
        Guid.Parse("3f2b8c1e-5a47-4d2b-9a61-0c7e2f9d4b15"), "baseline_user", "online", "", "A fixed profile of about two hundred bytes.",
        "#4f8cc9", ShowBio: true, ShowAvatar: true, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));

    public static async Task<int> RunAsync(Options options)
    {
        var url = $"http://127.0.0.1:{options.Int("port", 5099)}";
        Loopback.Require(url);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [] });
        builder.WebHost.UseUrls(url);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        var app = builder.Build();
        app.MapGet("/json", () => TypedResults.Ok(Profile));
        app.MapGet("/health/live", () => TypedResults.Ok(new { status = "ok" }));
        await app.RunAsync();
        return 0;
    }
}

/// <summary>The baseline's answer: shaped like a small user profile.</summary>
internal sealed record BaselineProfile(
    Guid Id, string Username, string Status, string AvatarUrl, string About, string ProfileColor, bool ShowBio, bool ShowAvatar, DateTimeOffset LastSeen);
