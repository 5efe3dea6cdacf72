namespace SafeGram.Grains.Hosting;

/// <summary>
/// Accepts <c>host:port</c>, a StackExchange.Redis configuration string, or a
/// <c>redis://[:password@]host:port</c> URL, and returns a StackExchange.Redis configuration string.
/// </summary>
public static class RedisUrl
{
    public static string ToConfigurationString(string value)
    {
        var isPlainUrl = value.StartsWith("redis://", StringComparison.OrdinalIgnoreCase);
        if (!isPlainUrl && !value.StartsWith("rediss://", StringComparison.OrdinalIgnoreCase))
        {
            return value;
        }

        var uri = new Uri(value);
        var parts = new List<string> { $"{uri.Host}:{(uri.Port > 0 ? uri.Port : 6379)}" };
        if (uri.UserInfo.Split(':', 2) is [_, var password] && password.Length > 0)
        {
            parts.Add("password=" + Uri.UnescapeDataString(password));
        }

        if (!isPlainUrl)
        {
            parts.Add("ssl=true");
        }

        return string.Join(',', parts);
    }
}
