using Microsoft.Extensions.Configuration;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// Reads the infrastructure settings, accepting both ASP.NET Core keys and the variables of the
/// earlier Go server (<c>DATABASE_URL</c>, <c>REDIS_URL</c>). Standard keys win when both are set.
/// </summary>
public static class ConfigurationExtensions
{
    public const string PostgresKey = "postgres";
    public const string RedisKey = "redis";

    public static string? GetPostgresConnectionString(this IConfiguration configuration) =>
        NullIfEmpty(configuration.GetConnectionString(PostgresKey))
        ?? (NullIfEmpty(configuration["DATABASE_URL"]) is { } url ? PostgresUrl.ToConnectionString(url) : null);

    public static string? GetRedisConnectionString(this IConfiguration configuration) =>
        NullIfEmpty(configuration.GetConnectionString(RedisKey))
        ?? (NullIfEmpty(configuration["REDIS_URL"]) is { } url ? RedisUrl.ToConfigurationString(url) : null);

    public static string GetRequiredPostgresConnectionString(this IConfiguration configuration) =>
        configuration.GetPostgresConnectionString()
        ?? throw new InvalidOperationException("PostgreSQL is not configured: set ConnectionStrings__postgres or DATABASE_URL.");

    public static string GetRequiredRedisConnectionString(this IConfiguration configuration) =>
        configuration.GetRedisConnectionString()
        ?? throw new InvalidOperationException("Redis is not configured: set ConnectionStrings__redis or REDIS_URL.");

    private static string? NullIfEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
