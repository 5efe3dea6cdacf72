using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>Silo and Gateway as real OS processes: restarts on the same database, and a cluster that is not there.</summary>
public sealed class ProcessTopologyTests
{
    [Fact]
    public async Task Accounts_SurviveAFullRestartOfEveryProcess()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        RegisteredUser user;
        await using (var silo1 = await ClusterProcesses.StartSiloAsync(cluster, dashboard: true))
        await using (var silo2 = await ClusterProcesses.StartSiloAsync(cluster))
        await using (var gatewayA = await ClusterProcesses.StartGatewayAsync(cluster))
        await using (var gatewayB = await ClusterProcesses.StartGatewayAsync(cluster))
        {
            using var siloApi = new ApiClient(new HttpClient { BaseAddress = silo1.BaseAddress });
            var (readyStatus, ready) = await siloApi.GetAsync("/health/ready");
            Assert.Equal(HttpStatusCode.OK, readyStatus);
            Assert.Equal(["postgres", "redis", "cluster"], ready.GetProperty("checks").EnumerateObject().Select(c => c.Name));
            Assert.Contains("orleans_", await siloApi.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.OK, (await siloApi.Http.GetAsync("/dashboard")).StatusCode);
            using var silo2Http = new HttpClient { BaseAddress = silo2.BaseAddress };
            Assert.Equal(HttpStatusCode.NotFound, (await silo2Http.GetAsync("/dashboard")).StatusCode);   // off unless enabled

            using var apiA = new ApiClient(new HttpClient { BaseAddress = gatewayA.BaseAddress });
            using var apiB = new ApiClient(new HttpClient { BaseAddress = gatewayB.BaseAddress });
            user = await apiA.RegisterAsync();

            var (status, _) = await apiB.PostAsync("/api/auth/login", new { username = user.Username, password = user.Password });
            Assert.Equal(HttpStatusCode.OK, status);

            // Grain calls are counted and timed; the sizes of every message sent and received are not exported.
            var gatewayMetrics = await apiB.Http.GetStringAsync("/metrics");
            Assert.Contains("orleans_app_requests_latency", gatewayMetrics, StringComparison.Ordinal);
            Assert.DoesNotContain("orleans_messaging_sent_messages_size", gatewayMetrics, StringComparison.Ordinal);
        }

        await using var silo = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster);
        using var api = new ApiClient(new HttpClient { BaseAddress = gateway.BaseAddress });

        var (loginStatus, login) = await api.PostAsync("/api/auth/login", new { username = user.Username, password = user.Password });
        var (meStatus, me) = await api.GetAsync("/api/users/me", user.Token);

        Assert.Equal(HttpStatusCode.OK, loginStatus);
        Assert.Equal(user.Id, login.GetProperty("user").GetProperty("id").GetGuid());
        Assert.Equal(HttpStatusCode.OK, meStatus);
        Assert.Equal(user.Username, me.GetProperty("username").GetString());
    }

    [Fact]
    public async Task Gateway_WithoutAnySilo_ListensAndAnswers503()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var gateway = AppProcess.Start("Gateway", cluster.ToSettings());
        await gateway.WaitUntilHealthyAsync("/health/live");
        using var api = new ApiClient(new HttpClient { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(5) });

        var login = await api.PostAsync("/api/auth/login", new { username = "someone", password = "password1" });
        var ready = await api.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, login.Status);
        Assert.Equal("unavailable", login.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.Status);
    }

    [Fact]
    public async Task Gateway_OutsideDevelopmentWithShortSecret_RefusesToStart()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        var settings = cluster.ToSettings();
        settings["Jwt:Secret"] = null;
        settings["JWT_SECRET"] = "too-short";
        await using var gateway = AppProcess.Start("Gateway", settings);

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => gateway.WaitUntilHealthyAsync());

        Assert.Contains("JWT_SECRET", failure.Message, StringComparison.Ordinal);
    }
}
