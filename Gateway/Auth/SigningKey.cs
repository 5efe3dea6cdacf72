using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace SafeGram.Gateway.Auth;

/// <summary>The resolved signing secret; built once at start so a bad secret stops the process early.</summary>
internal sealed record SigningKey(SymmetricSecurityKey Key, TimeSpan Lifetime, bool IsEphemeral)
{
    public static SigningKey Resolve(IConfiguration configuration, IHostEnvironment environment)
    {
        var settings = configuration.GetSection(JwtSettings.SectionName).Get<JwtSettings>() ?? new();
        var secret = string.IsNullOrEmpty(settings.Secret) ? configuration["JWT_SECRET"] : settings.Secret;
        if (string.IsNullOrEmpty(secret))
        {
            if (!environment.IsDevelopment())
            {
                throw new InvalidOperationException(
                    $"JWT_SECRET (or Jwt__Secret) is required outside Development: at least {JwtSettings.MinimumSecretBytes} bytes.");
            }

            // Development without a secret: tokens are valid until this process exits.
            return new SigningKey(new SymmetricSecurityKey(RandomNumberGenerator.GetBytes(64)), settings.Lifetime, IsEphemeral: true);
        }

        var bytes = Encoding.UTF8.GetBytes(secret);
        if (bytes.Length < JwtSettings.MinimumSecretBytes)
        {
            throw new InvalidOperationException(
                $"JWT_SECRET is {bytes.Length} bytes; at least {JwtSettings.MinimumSecretBytes} are required.");
        }

        return new SigningKey(new SymmetricSecurityKey(bytes), settings.Lifetime, IsEphemeral: false);
    }
}
