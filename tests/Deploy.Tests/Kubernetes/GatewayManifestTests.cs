using Microsoft.Extensions.Configuration;
using SafeGram.Deploy.Tests.Infrastructure;
using static SafeGram.Deploy.Tests.Kubernetes.KubernetesManifestTests;
using static SafeGram.Deploy.Tests.Kubernetes.SiloManifestTests;

namespace SafeGram.Deploy.Tests.Kubernetes;

/// <summary>deploy/k8s/gateway.yaml: draining on shutdown, the Service in front and the autoscaler.</summary>
public sealed class GatewayManifestTests
{
    private static KubernetesManifests Manifests => KubernetesManifests.Instance;

    private static KubernetesResource Deployment => Manifests.Get("Deployment", "safegram-gateway");

    private static YamlDotNet.RepresentationModel.YamlMappingNode Container => Deployment.Container("gateway");

    [Fact]
    public void GatewayDeployment_SleepsBeforeStoppingAndDrainsWithinItsGracePeriod()
    {
        var preStop = Container.Map("lifecycle").Map("preStop");
        var sleep = preStop.Get("sleep") is { } native
            ? native.Number("seconds")
            : preStop.Map("exec").Strings("command") is ["sleep", var seconds] ? int.Parse(seconds, System.Globalization.CultureInfo.InvariantCulture) : -1;
        var grace = Deployment.PodSpec.Number("terminationGracePeriodSeconds");

        Assert.InRange(sleep, 2, 15);
        Assert.InRange(grace, 45, 120);
        Assert.True(grace - sleep >= 30, "After the preStop sleep the gateway needs time to close WebSockets and drain.");
    }

    [Fact]
    public void GatewayDeployment_ListensOnItsDefaultPortAndItsMetricsPort_AndHasNoSiloPorts()
    {
        var configuration = Configuration(Container);

        Assert.Equal(KnownSettings.GatewayHttpPort, ContainerPort(Container, "http"));
        Assert.Equal(KnownSettings.GatewayHttpPort, KnownSettings.HttpPort(App.Gateway, configuration));
        Assert.NotEqual(KnownSettings.GatewayHttpPort, KnownSettings.MetricsPortOf(App.Gateway, configuration));
        Assert.Equal(KnownSettings.MetricsPortOf(App.Gateway, configuration), ContainerPort(Container, "metrics"));
        Assert.Equal(["http", "metrics"], Container.Maps("ports").Select(port => port.Text("name")).Order());
    }

    [Fact]
    public void GatewayService_MapsPort80ToTheGatewayHttpPort()
    {
        var service = Manifests.Get("Service", "safegram-gateway");
        var port = Assert.Single(service.Spec.Maps("ports"));

        Assert.Equal(80, port.Number("port"));
        Assert.Equal(KnownSettings.GatewayHttpPort, ResolvePort(Container, port.Text("targetPort")));
        Assert.True(Selects(service.Spec.Get("selector").Scalars(), Deployment));
        Assert.False(Selects(service.Spec.Get("selector").Scalars(), Manifests.Get("Deployment", "safegram-silo")), "The gateway Service would also route to silos.");
    }

    [Fact]
    public void GatewayAutoscaler_ScalesTheGatewayDeploymentOnCpu()
    {
        var autoscaler = Manifests.Get("HorizontalPodAutoscaler", "safegram-gateway");
        var target = autoscaler.Spec.Map("scaleTargetRef");

        Assert.Equal("autoscaling/v2", autoscaler.ApiVersion);
        Assert.Equal((Deployment.ApiVersion, Deployment.Kind, Deployment.Name), (target.Text("apiVersion"), target.Text("kind"), target.Text("name")));
        var metric = Assert.Single(autoscaler.Spec.Maps("metrics"));
        Assert.Equal("Resource", metric.Text("type"));
        Assert.Equal("cpu", metric.Map("resource").Text("name"));
        Assert.Equal("Utilization", metric.Map("resource").Map("target").Text("type"));
        Assert.InRange(metric.Map("resource").Map("target").Number("averageUtilization"), 30, 90);
        Assert.True(autoscaler.Spec.Number("minReplicas") >= 2, "One gateway is a single point of failure.");
        Assert.True(autoscaler.Spec.Number("maxReplicas") > autoscaler.Spec.Number("minReplicas"));

        // Utilization is measured against the request, and a fixed replica count would fight the autoscaler.
        Assert.NotNull(Container.Map("resources").Map("requests").Get("cpu"));
        Assert.Null(Deployment.Spec.Get("replicas"));
    }

    [Fact]
    public void GatewayDeployment_IsAnOrleansClientWithASigningKey()
    {
        var environment = Manifests.Environment(Container);

        Assert.Contains(environment.Keys, KnownSettings.RedisKeys.Contains);
        Assert.Contains(environment.Keys, KnownSettings.JwtSecretKeys.Contains);
        Assert.Equal("Production", environment["ASPNETCORE_ENVIRONMENT"].Value);
    }

    [Fact]
    public void GatewayDeployment_TakesClientAddressesFromTheIngressForwardedHeaders()
    {
        var configuration = Configuration(Container);

        Assert.True(configuration.GetValue<bool>("ForwardedHeaders:Enabled"), "Every client would share the Ingress pod's sign-in throttle.");
        var trusted = configuration.GetSection("ForwardedHeaders:KnownNetworks").Get<string[]>();
        Assert.NotNull(trusted);
        Assert.All(trusted, network => System.Net.IPNetwork.Parse(network));
    }
}
