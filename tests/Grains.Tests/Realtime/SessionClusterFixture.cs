using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Hosting;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>
/// One silo on PostgreSQL whose clock the tests move, so subscription expiry is tested without waiting, and whose user
/// grains can be told to fail when asked for their sessions, as a grain on a silo that just died does.
/// </summary>
public sealed class SessionClusterFixture : IAsyncLifetime
{
    public FakeTimeProvider Time { get; } = new(DateTimeOffset.UtcNow);

    /// <summary>Users whose grain fails every <see cref="IUserGrain.GetSessionsAsync"/> while listed here.</summary>
    public ConcurrentDictionary<Guid, bool> UnreachableUsers { get; } = new();

    public InProcessTestCluster Cluster { get; private set; } = null!;

    public IClusterClient Client => Cluster.Client;

    public async Task InitializeAsync()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var builder = new InProcessTestClusterBuilder(initialSilosCount: 1);
        var configuration = new ConfigurationBuilder().Build();
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddSingleton<TimeProvider>(Time);
            silo.AddSafeGramGrains(configuration, database);
            silo.AddIncomingGrainCallFilter(RefuseUnreachableUsers);
        });
        Cluster = builder.Build();
        await Cluster.DeployAsync(CancellationToken.None);
    }

    public async Task DisposeAsync() => await Cluster.DisposeAsync();

    private Task RefuseUnreachableUsers(IIncomingGrainCallContext call) =>
        call.InterfaceMethod.Name == nameof(IUserGrain.GetSessionsAsync)
        && Guid.TryParse(call.TargetId.Key.ToString(), out var userId) && UnreachableUsers.ContainsKey(userId)
            ? throw new SiloUnavailableException("the test made this user's grain unreachable")
            : call.Invoke();
}

[CollectionDefinition(Name)]
public sealed class SessionClusterCollection : ICollectionFixture<SessionClusterFixture>
{
    public const string Name = nameof(SessionClusterCollection);
}
