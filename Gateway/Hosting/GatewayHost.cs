using Microsoft.Extensions.Logging.Console;

namespace SafeGram.Gateway.Hosting;

internal static class GatewayHost
{
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
        return builder;
    }
}
