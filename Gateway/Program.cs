using Microsoft.Extensions.DependencyInjection.Extensions;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Caching;
using SafeGram.Gateway.Endpoints;
using SafeGram.Gateway.Errors;
using SafeGram.Gateway.Hosting;
using SafeGram.Gateway.Realtime;
using SafeGram.Gateway.Realtime.Upgrade;
using SafeGram.Gateway.Serialization;
using SafeGram.Grains.Hosting;

var builder = GatewayHost.CreateBuilder(args);
builder.WebHost.UseUrls(ListenUrls.Resolve(builder.Configuration, defaultPort: 8080).WithMetricsPort(builder.Configuration));
builder.WebHost.ConfigureKestrel(kestrel =>
{
    kestrel.Limits.MaxRequestBodySize = RequestLimits.MaxBodyBytes;
    kestrel.AnswerSocketUpgradesOnConnection();
});
builder.Services.TryAddSingleton(TimeProvider.System);

// ── Cluster: a co-hosted silo (embedded default) or an Orleans client (production) ──
builder.AddSafeGramCluster();

// ── Auth: JWT bearer (HS256 only), bcrypt passwords ──
builder.AddSafeGramAuthentication();

// ── HTTP surface: JSON shape, errors, CORS, proxies, limits ──
builder.Services.AddSafeGramJson();
builder.Services.AddSafeGramErrors();
builder.AddSafeGramCors();
builder.AddSafeGramForwardedHeaders();
builder.AddSafeGramRateLimits();
builder.Services.AddSingleton<NewestPageCache>();

// ── Real time: /ws sockets fed by grain observers ──
builder.Services.AddSafeGramRealtime(builder.Configuration);

// ── Operations: health, metrics, traces, OpenAPI ──
builder.AddSafeGramOperations();

var app = builder.Build();

app.UseSafeGramForwardedHeaders();
app.UseSafeGramErrors();
app.UseSafeGramCors();
app.UseWebSockets();
app.UseMiddleware<RequestBodyLimitMiddleware>();
app.UseAuthentication();
app.UseAuthorization();
app.UseMiddleware<ClusterAvailabilityMiddleware>();
app.UseRateLimiter();

app.MapAuthEndpoints();
app.MapUserEndpoints();
app.MapChatEndpoints();
app.MapMessageEndpoints();
app.MapWebSocketEndpoints();
app.MapSafeGramOperations();

await app.RunAsync();

/// <summary>The gateway's entry point; public for <c>WebApplicationFactory</c>.</summary>
public partial class Program;
