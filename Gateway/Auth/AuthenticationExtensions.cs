using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using SafeGram.Gateway.Realtime;

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
                options.Events = new JwtBearerEvents
                {
                    // A socket's upgrade authenticates itself (SocketAuthenticator): what this handler builds for a
                    // request stays alive as long as the request, which for a socket is hours.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path == WebSocketEndpoints.SocketPath)
                        {
                            context.NoResult();
                        }

                        return Task.CompletedTask;
                    },
                    OnTokenValidated = context =>
                    {
                        if (context.Principal?.GetUserId() == Guid.Empty)
                        {
                            context.Fail($"The token has no valid '{JwtRegisteredClaimNames.Sub}'.");
                        }

                        return Task.CompletedTask;
                    },
                };
            });
        builder.Services.AddSingleton<CachingTokenHandler>();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<CachingTokenHandler>((options, handler) =>
            {
                options.TokenHandlers.Clear();
                options.TokenHandlers.Add(handler);
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
