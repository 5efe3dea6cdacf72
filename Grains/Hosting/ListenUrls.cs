using Microsoft.Extensions.Configuration;

namespace SafeGram.Grains.Hosting;

/// <summary>
/// Where a host's HTTP server listens. <c>PORT</c> (the earlier server's variable) wins over everything,
/// launch profiles included; then ASP.NET Core's own <c>urls</c>; then the host's default port.
/// </summary>
public static class ListenUrls
{
    public static string Resolve(IConfiguration configuration, int defaultPort)
    {
        if (int.TryParse(configuration["PORT"], out var port))
        {
            return $"http://0.0.0.0:{port}";
        }

        return configuration["urls"] is { Length: > 0 } urls ? urls : $"http://0.0.0.0:{defaultPort}";
    }
}
