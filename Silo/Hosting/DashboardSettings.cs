namespace SafeGram.Silo.Hosting;

/// <summary><c>Dashboard:Enabled</c> turns the Orleans Dashboard on at <c>/dashboard</c>; off by default outside Development.</summary>
internal static class DashboardSettings
{
    public static bool IsEnabled(IConfiguration configuration, IHostEnvironment environment) =>
        configuration.GetValue<bool?>("Dashboard:Enabled") ?? environment.IsDevelopment();
}
