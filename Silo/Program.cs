using SafeGram.Grains.Hosting;
using SafeGram.Silo.Hosting;

// `dotnet SafeGram.Silo.dll migrate` applies the schema and exits: the step an operator runs before a rollout.
if (args is ["migrate", ..])
{
    return await SchemaCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(ListenUrls.Resolve(builder.Configuration, defaultPort: 8081));

// ── Orleans: Redis membership, PostgreSQL grain state ──
builder.UseOrleans(silo => silo.UseSafeGramCluster(builder.Configuration));

var app = builder.Build();

// ── Health (probes) ──
app.MapGet("/health/live", () => Results.Ok(new { status = "ok" }));

await app.RunAsync();
return 0;
