namespace SafeGram.Gateway.Errors;

internal static class RequestLimits
{
    public const int MaxBodyBytes = 64 * 1024;
}
