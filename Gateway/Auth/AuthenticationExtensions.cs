using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace SafeGram.Gateway.Auth;

internal static class AuthenticationExtensions
{
    /// <summary>The type name of ASP.NET Core's (internal) hosted service that loads the data-protection key ring.</summary>
    internal const string DataProtectionHostedService = "DataProtectionHostedService";

    public static WebApplicationBuilder AddSafeGramAuthentication(this WebApplicationBuilder builder)
    {
        var key = SigningKey.Resolve(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton(key);
        builder.Services.AddSingleton<TokenIssuer>();
        builder.Services.AddSingleton<PasswordHasher>();
        builder.Services.Configure<PasswordSettings>(builder.Configuration.GetSection(PasswordSettings.SectionName));

        builder.Services
            .AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(options =>
            {
                options.MapInboundClaims = false;
                // Nothing reads the raw token back from the authentication properties; storing it is work per request.
                options.SaveToken = false;
                options.TokenValidationParameters = new TokenValidationParameters
                {
                    IssuerSigningKey = key.Key,
                    ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
                    RequireSignedTokens = true,
                    RequireExpirationTime = true,
                    ValidateLifetime = true,
                    ValidateIssuer = false,
                    ValidateAudience = false,
                    ClockSkew = TimeSpan.FromSeconds(30),
                    NameClaimType = SafeGramClaims.Username,
                };
            });
        builder.Services.AddSingleton<CachingTokenHandler>();
        builder.Services.AddSingleton<RegisteredAccounts>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<CachingTokenHandler, RegisteredAccounts>((options, handler, accounts) =>
            {
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(handler);
                options.Events = new BearerEvents(handler, accounts);
            });
        builder.Services.AddAuthorization();
        builder.Services.RemoveDataProtectionKeyRingWarmUp();
        return builder;
    }

    /// <summary>
    /// <c>AddAuthentication</c> brings data protection along for cookie schemes; its hosted service reads (and on a
    /// first start writes) an XML key ring on disk at every start. Bearer tokens never use it, so it is not started.
    /// </summary>
    private static void RemoveDataProtectionKeyRingWarmUp(this IServiceCollection services)
    {
        var warmUp = services.FirstOrDefault(service =>
            service.ServiceType == typeof(IHostedService) && service.ImplementationType?.Name == DataProtectionHostedService);
        if (warmUp is not null)
        {
            services.Remove(warmUp);
        }
    }
}
