namespace SafeGram.Grains.Security;

/// <summary>How many failed sign-ins a username, and a client address, may make per window.</summary>
public sealed class LoginThrottleOptions
{
    public const string SectionName = "LoginThrottle";

    public Policy PerUsername { get; set; } = new() { MaxFailures = 5, Window = TimeSpan.FromMinutes(5) };

    public Policy PerAddress { get; set; } = new() { MaxFailures = 20, Window = TimeSpan.FromMinutes(5) };

    public sealed class Policy
    {
        public int MaxFailures { get; set; }

        public TimeSpan Window { get; set; }
    }
}
