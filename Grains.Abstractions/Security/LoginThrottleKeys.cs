namespace SafeGram.Grains.Abstractions.Security;

/// <summary>Builds keys for <see cref="ILoginThrottleGrain"/>; the prefix selects the policy.</summary>
public static class LoginThrottleKeys
{
    public const string UsernamePrefix = "user:";
    public const string AddressPrefix = "addr:";

    public static string ForUsername(string normalizedUsername) => UsernamePrefix + normalizedUsername;

    public static string ForAddress(string address) => AddressPrefix + address;
}
