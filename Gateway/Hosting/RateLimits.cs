using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Errors;

namespace SafeGram.Gateway.Hosting;

/// <summary>
/// Per-user send limits (a token bucket per user and gateway). Section <c>RateLimits:Send</c>:
/// <c>Burst</c> sends at once, refilled at <c>PerSecond</c>.
/// </summary>
internal static class RateLimits
{
    public const string SendPolicy = "send";

    public static WebApplicationBuilder AddSafeGramRateLimits(this WebApplicationBuilder builder)
    {
        var burst = builder.Configuration.GetValue("RateLimits:Send:Burst", 30);
        var perSecond = builder.Configuration.GetValue("RateLimits:Send:PerSecond", 10);
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SendPolicy, http => RateLimitPartition.GetTokenBucketLimiter(
                http.User.GetUserId(),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst,
                    TokensPerPeriod = perSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.OnRejected = (context, _) =>
            {
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                return new ValueTask(ApiErrors.TooMany(ErrorCodes.TooManyRequests, retryAfter, "Too many messages; slow down.")
                    .ExecuteAsync(context.HttpContext));
            };
        });
        return builder;
    }
}
