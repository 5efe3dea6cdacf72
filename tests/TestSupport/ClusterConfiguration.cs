namespace SafeGram.TestSupport;

/// <summary>The settings every process of one test cluster shares, in the apps' own configuration keys.</summary>
public sealed record ClusterConfiguration(string Postgres, string Redis, string ClusterId)
{
    public const string JwtSecret = "test-secret-that-is-long-enough-for-hs256-0123456789";

    public static async Task<ClusterConfiguration> CreateAsync() =>
        new(await TestInfrastructure.CreateDatabaseAsync(), TestInfrastructure.Redis, TestInfrastructure.NewClusterId());

    public Dictionary<string, string?> ToSettings(int? siloPort = null, int? gatewayPort = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:postgres"] = Postgres,
            ["ConnectionStrings:redis"] = Redis,
            ["Orleans:ClusterId"] = ClusterId,
            ["Orleans:ServiceId"] = "safegram-test",
            ["Jwt:Secret"] = JwtSecret,
            ["Passwords:BcryptCost"] = "4",
        };
        if (siloPort is { } silo)
        {
            settings["Orleans:SiloPort"] = silo.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        if (gatewayPort is { } gateway)
        {
            settings["Orleans:GatewayPort"] = gateway.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return settings;
    }
}
