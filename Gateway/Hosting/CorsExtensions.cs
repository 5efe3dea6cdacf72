using Microsoft.AspNetCore.Cors.Infrastructure;

namespace SafeGram.Gateway.Hosting;

internal static class CorsExtensions
{
    public const string OriginsKey = "Cors:AllowedOrigins";

    /// <summary>
    /// The web app is served from another origin and preflights every call. Allowed origins come from
    /// <c>Cors:AllowedOrigins</c>; Development also allows any localhost origin.
    /// </summary>
    public static WebApplicationBuilder AddSafeGramCors(this WebApplicationBuilder builder)
    {
        var origins = builder.Configuration.GetSection(OriginsKey).Get<string[]>() ?? [];
        var allowLocalhost = builder.Environment.IsDevelopment();
        var originPolicy = new OriginPolicy(origins, allowLocalhost);
        builder.Services.AddSingleton(originPolicy);
        builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
            .SetIsOriginAllowed(originPolicy.IsAllowed)
            .WithHeaders("Authorization", "Content-Type")
            // Not a CORS-safelisted response header: without this, the web app could not read how long a 429 asks it to wait.
            .WithExposedHeaders("Retry-After")
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }

    /// <summary>
    /// The framework's CORS middleware with the default policy. <c>UseCors()</c> binds its
    /// <c>Invoke(HttpContext, ICorsPolicyProvider)</c> through a compiled expression tree, which loads
    /// System.Linq.Expressions into every gateway for this one call (~2.5 MB of an idle gateway's memory);
    /// passing the provider by hand runs the same middleware without it.
    /// </summary>
    public static WebApplication UseSafeGramCors(this WebApplication app)
    {
        var services = app.Services;
        var policies = services.GetRequiredService<ICorsPolicyProvider>();
        var corsService = services.GetRequiredService<ICorsService>();
        var loggerFactory = services.GetRequiredService<ILoggerFactory>();
        app.Use(next =>
        {
            var cors = new CorsMiddleware(next, corsService, loggerFactory);
            return context => cors.Invoke(context, policies);
        });
        return app;
    }
}
