using System.Net;
using Microsoft.AspNetCore.HttpOverrides;

namespace SafeGram.Gateway.Hosting;

/// <summary>
/// Behind a load balancer the client address (used by login throttling) is in <c>X-Forwarded-For</c>.
/// <c>ForwardedHeaders:Enabled=true</c> trusts it from the networks in <c>ForwardedHeaders:KnownNetworks</c>
/// (CIDR list); with none listed, from any sender — only for gateways that are reachable solely through the proxy.
/// </summary>
internal static class ForwardedHeadersSetup
{
    public const string EnabledKey = "ForwardedHeaders:Enabled";
    public const string KnownNetworksKey = "ForwardedHeaders:KnownNetworks";

    public static WebApplicationBuilder AddSafeGramForwardedHeaders(this WebApplicationBuilder builder)
    {
        if (!builder.Configuration.GetValue<bool>(EnabledKey))
        {
            return builder;
        }

        var networks = builder.Configuration.GetSection(KnownNetworksKey).Get<string[]>() ?? [];
        builder.Services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            foreach (var network in networks)
            {
                options.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
        return builder;
    }

    public static WebApplication UseSafeGramForwardedHeaders(this WebApplication app)
    {
        if (app.Configuration.GetValue<bool>(EnabledKey))
        {
            app.UseForwardedHeaders();
        }

        return app;
    }
}
