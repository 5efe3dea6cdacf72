using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using SafeGram.Grains.Hosting;
using SafeGram.Silo.Hosting;

// `dotnet SafeGram.Silo.dll migrate` applies the schema and exits: the step an operator runs before a rollout.
if (args is ["migrate", ..])
{
    return await SchemaCommand.RunAsync(args[1..]);
}

var builder = WebApplication.CreateBuilder(args);
builder.WebHost.UseUrls(ListenUrls.Resolve(builder.Configuration, defaultPort: 8081));

// ── Orleans: Redis membership, PostgreSQL grain state, optional dashboard ──
var dashboard = DashboardSettings.IsEnabled(builder.Configuration, builder.Environment);
builder.UseOrleans(silo =>
{
    silo.UseSafeGramCluster(builder.Configuration);
    if (dashboard)
    {
        silo.AddDashboard();
    }
});

// ── Operations: health, metrics and traces ──
builder.AddSiloHealthChecks();
builder.Services.AddSafeGramTelemetry(
    builder.Configuration, "safegram-silo", metrics => metrics.AddAspNetCoreInstrumentation().AddPrometheusExporter());

var app = builder.Build();

app.MapSiloHealthChecks();
app.MapPrometheusScrapingEndpoint("/metrics");
if (dashboard)
{
    app.MapOrleansDashboard("/dashboard");
}

await app.RunAsync();
return 0;
