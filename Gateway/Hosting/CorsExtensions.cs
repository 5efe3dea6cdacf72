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
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));
        return builder;
    }
}
