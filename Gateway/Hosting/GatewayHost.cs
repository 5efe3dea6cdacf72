using Microsoft.Extensions.Logging.Console;

namespace SafeGram.Gateway.Hosting;

internal static class GatewayHost
{
    private const string RequestLoggingCategory = "Microsoft.AspNetCore.Hosting.Diagnostics";

    /// <summary>
    /// The slim host: without IIS integration, HTTP/3, hosting start-up assemblies and the debug and EventSource log
    /// providers, none of which a gateway behind a load balancer uses (~1 MB of an idle gateway). HTTPS endpoints stay
    /// configurable, and the console log takes its format from <c>Logging:Console</c> again (JSON in production):
    /// the slim host registers its console logger with the plain-text formatter forced.
    /// </summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Services.Configure<ConsoleLoggerOptions>(builder.Configuration.GetSection("Logging:Console"));
        // Request logging would write /ws?token=… to the log. appsettings.json turns it off too, but it is read from the
        // working directory, and a gateway started from anywhere else must keep tokens out of its log all the same.
        builder.Logging.AddFilter(RequestLoggingCategory, LogLevel.None);
        return builder;
    }
}
