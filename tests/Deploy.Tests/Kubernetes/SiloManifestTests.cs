using System.Net;
using Microsoft.Extensions.Configuration;
using SafeGram.Deploy.Tests.Infrastructure;
using SafeGram.Grains.Hosting;
using static SafeGram.Deploy.Tests.Kubernetes.KubernetesManifestTests;

namespace SafeGram.Deploy.Tests.Kubernetes;

/// <summary>deploy/k8s/silo.yaml: how silos join the cluster, roll out and survive disruptions.</summary>
public sealed class SiloManifestTests
{
    private static KubernetesManifests Manifests => KubernetesManifests.Instance;

    private static KubernetesResource Deployment => Manifests.Get("Deployment", "safegram-silo");

    private static YamlDotNet.RepresentationModel.YamlMappingNode Container => Deployment.Container("silo");

    [Fact]
    public void SiloDeployment_AdvertisesPodIp()
    {
        var advertised = Assert.Single(Container.Maps("env"), variable => variable.Text("name") == "Orleans__AdvertisedAddress");

        Assert.Equal("status.podIP", advertised.Map("valueFrom").Map("fieldRef").Text("fieldPath"));

        // Bound the way the silo binds it: a routable address, so the silo also listens on all interfaces.
        var settings = Configuration(Container).GetSection(ClusterSettings.SectionName).Get<ClusterSettings>()!;
        Assert.False(IPAddress.IsLoopback(settings.ResolveAdvertisedAddress()));
    }

    [Fact]
    public void SiloDeployment_DeclaresTheHttpSiloAndGatewayPortsItIsConfiguredFor()
    {
        var configuration = Configuration(Container);
        var settings = configuration.GetSection(ClusterSettings.SectionName).Get<ClusterSettings>() ?? new();

        Assert.Equal(KnownSettings.SiloHttpPort, ContainerPort(Container, "http"));
        Assert.Equal(KnownSettings.SiloPort, ContainerPort(Container, "silo"));
        Assert.Equal(KnownSettings.SiloGatewayPort, ContainerPort(Container, "gateway"));
        Assert.Equal(ContainerPort(Container, "http"), KnownSettings.HttpPort(App.Silo, configuration));
        Assert.Equal(ContainerPort(Container, "silo"), settings.SiloPort);
        Assert.Equal(ContainerPort(Container, "gateway"), settings.GatewayPort);
    }

    [Fact]
    public void SiloDeployment_AddsOneSiloBeforeRemovingOne()
    {
        var strategy = Deployment.Spec.Map("strategy");

        Assert.Equal("RollingUpdate", strategy.Text("type"));
        Assert.Equal("0", strategy.Map("rollingUpdate").Text("maxUnavailable"));
        Assert.Equal("1", strategy.Map("rollingUpdate").Text("maxSurge"));
    }

    [Fact]
    public void SiloDeployment_GivesSilosTimeToHandTheirGrainsOver()
    {
        Assert.InRange(Deployment.PodSpec.Number("terminationGracePeriodSeconds"), 120, 300);
    }

    [Fact]
    public void SiloDisruptionBudget_KeepsTwoSilosUpAndStillLetsANodeDrain()
    {
        var budget = Manifests.Get("PodDisruptionBudget", "safegram-silo");

        Assert.Equal("policy/v1", budget.ApiVersion);
        Assert.Equal(2, budget.Spec.Number("minAvailable"));
        Assert.True(Selects(budget.Spec.Map("selector").Get("matchLabels").Scalars(), Deployment), "The budget does not select the silo pods.");
        Assert.False(Selects(budget.Spec.Map("selector").Get("matchLabels").Scalars(), Manifests.Get("Deployment", "safegram-gateway")));
        Assert.True(Deployment.Spec.Number("replicas") > budget.Spec.Number("minAvailable"), "With replicas == minAvailable no silo could ever be evicted.");
    }

    [Fact]
    public void SiloService_IsHeadlessAndSelectsSiloPodsOnTheirPorts()
    {
        var service = Manifests.Get("Service", "safegram-silo");

        Assert.Equal("None", service.Spec.Text("clusterIP"));
        Assert.True(Selects(service.Spec.Get("selector").Scalars(), Deployment));
        Assert.All(service.Spec.Maps("ports"), port =>
            Assert.Equal(port.Number("port"), ResolvePort(Container, port.Text("targetPort", port.Text("port"))!)));
    }

    internal static bool Selects(IReadOnlyDictionary<string, string> selector, KubernetesResource workload) =>
        selector.Count > 0 && selector.All(label => workload.PodLabels.GetValueOrDefault(label.Key) == label.Value);
}
