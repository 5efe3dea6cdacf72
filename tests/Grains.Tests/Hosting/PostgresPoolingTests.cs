using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using SafeGram.Grains.Hosting;
using SafeGram.Grains.Persistence;

namespace SafeGram.Grains.Tests.Hosting;

/// <summary>A silo's PostgreSQL pools stay small and keep their connections, unless the operator says otherwise.</summary>
public sealed class PostgresPoolingTests
{
    [Fact]
    public void WithDefaults_NoBoundsGiven_CapsThePoolAndKeepsIdleConnections15Minutes()
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresPooling.WithDefaults("Host=db;Username=app"));

        Assert.Equal(16, result.MaxPoolSize);
        Assert.Equal(900, result.ConnectionIdleLifetime);
    }

    [Theory]
    [InlineData("Maximum Pool Size=40;Connection Idle Lifetime=60")]
    [InlineData("MaxPoolSize=40;ConnectionIdleLifetime=60")]
    [InlineData("maximum pool size=40;connection idle lifetime=60")]
    public void WithDefaults_OperatorsBounds_AreKept(string bounds)
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresPooling.WithDefaults($"Host=db;Username=app;{bounds}"));

        Assert.Equal(40, result.MaxPoolSize);
        Assert.Equal(60, result.ConnectionIdleLifetime);
    }

    [Fact]
    public void WithDefaults_OperatorChoosesNpgsqlsOwnDefault_ItIsKept()
    {
        var result = new NpgsqlConnectionStringBuilder(PostgresPooling.WithDefaults("Host=db;Maximum Pool Size=100"));

        Assert.Equal(100, result.MaxPoolSize);
    }

    [Fact]
    public void WithDefaults_KeepsEveryOtherSetting()
    {
        var result = new NpgsqlConnectionStringBuilder(
            PostgresPooling.WithDefaults("Host=db;Port=6432;Database=chat;Username=app;Password=p;SSL Mode=Require"));

        Assert.Equal(("db", 6432, "chat", "app", "p", SslMode.Require),
            (result.Host, result.Port, result.Database, result.Username, result.Password, result.SslMode));
    }

    [Fact]
    public void ProductionSilo_MessageLogAndGrainStoragePools_AreBounded()
    {
        using var host = ProductionSiloHost.Build([]);

        var messageLog = new NpgsqlConnectionStringBuilder(host.Services.GetRequiredService<NpgsqlDataSource>().ConnectionString);
        var storage = new NpgsqlConnectionStringBuilder(
            host.Services.GetRequiredService<IOptionsMonitor<AdoNetGrainStorageOptions>>().Get(ReconnectingGrainStorage.InnerName).DataSource?.ConnectionString);

        Assert.Equal((16, 900), (messageLog.MaxPoolSize, messageLog.ConnectionIdleLifetime));
        Assert.Equal((16, 900), (storage.MaxPoolSize, storage.ConnectionIdleLifetime));
    }
}
