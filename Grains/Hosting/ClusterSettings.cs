using System.Net;

namespace SafeGram.Grains.Hosting;

/// <summary>How this process joins the Orleans cluster. Section <c>Orleans</c>.</summary>
public sealed class ClusterSettings
{
    public const string SectionName = "Orleans";

    /// <summary>Identifies the application's data; every silo and gateway of one deployment shares it.</summary>
    public string ServiceId { get; set; } = "safegram";

    /// <summary>Identifies one cluster (membership); a blue/green rollout would use two.</summary>
    public string ClusterId { get; set; } = "safegram";

    public int SiloPort { get; set; } = 11111;

    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and gateways reach this silo at (Kubernetes: the pod IP).</summary>
    public string? AdvertisedAddress { get; set; }

    public IPAddress ResolveAdvertisedAddress() =>
        string.IsNullOrWhiteSpace(AdvertisedAddress) ? IPAddress.Loopback : IPAddress.Parse(AdvertisedAddress);
}
