using SafeGram.Deploy.Tests.Infrastructure;

namespace SafeGram.Deploy.Tests.Kubernetes;

/// <summary>deploy/k8s/schema-job.yaml: the schema step before a rollout.</summary>
public sealed class SchemaJobTests
{
    private static KubernetesManifests Manifests => KubernetesManifests.Instance;

    private static KubernetesResource Job => Manifests.Get("Job", "safegram-schema");

    [Fact]
    public void SchemaJob_RunsMigrateOnTheSiloImage()
    {
        var container = Job.Container("schema");

        // The image's ENTRYPOINT is `./SafeGram.Silo`: args append `migrate`, a command would replace it.
        Assert.Null(container.Get("command"));
        Assert.Equal(new[] { "migrate" }, container.Strings("args"));
        Assert.Equal(Manifests.Get("Deployment", "safegram-silo").Container("silo").Text("image"), container.Text("image"));
    }

    [Fact]
    public void SchemaJob_RunsOnceWithBoundedRetries()
    {
        Assert.Equal("batch/v1", Job.ApiVersion);
        Assert.Contains(Job.PodSpec.Text("restartPolicy"), new[] { "Never", "OnFailure" });
        Assert.InRange(Job.Spec.Number("backoffLimit"), 0, 6);
        Assert.NotNull(Job.Spec.Get("activeDeadlineSeconds"));
    }

    [Fact]
    public void SchemaJob_ReceivesOnlyThePostgresSetting()
    {
        var environment = Manifests.Environment(Job.Container("schema"));

        var setting = Assert.Single(environment.Values);
        Assert.Contains(setting.Name, KnownSettings.PostgresKeys);
        Assert.True(setting.IsFromSecret);
    }
}
