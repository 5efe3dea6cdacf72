namespace SafeGram.Gateway.Hosting;

/// <summary>Which browser origins may call the API and open sockets.</summary>
internal sealed class OriginPolicy(IReadOnlyCollection<string> allowedOrigins, bool allowLocalhost)
{
    private readonly HashSet<string> _allowed = new(allowedOrigins.Select(o => o.TrimEnd('/')), StringComparer.OrdinalIgnoreCase);

    public bool IsAllowed(string origin)
    {
        if (_allowed.Contains("*") || _allowed.Contains(origin))
        {
            return true;
        }

        return allowLocalhost
            && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
            && uri.Host is "localhost" or "127.0.0.1" or "[::1]";
    }
}
