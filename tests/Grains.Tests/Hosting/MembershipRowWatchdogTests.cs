using System.Collections.Immutable;
using System.Net;
using System.Reflection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans.Clustering.Redis;
using Orleans.Configuration;
using SafeGram.Grains.Hosting;
using StackExchange.Redis;

namespace SafeGram.Grains.Tests.Hosting;

/// <summary>
/// A check that fails says nothing about the silo's row. Seen on a silo whose Redis stalled: the client failed the
/// read with <see cref="InvalidOperationException"/> or <see cref="TaskCanceledException"/>, which escaped the watchdog
/// and, as a failed hosted service, stopped the silo.
/// </summary>
public sealed class MembershipRowWatchdogTests
{
    private static readonly SiloAddress Silo = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), 1);

    [Fact]
    public async Task ChecksThatFailInAnyWay_NeitherEndTheSilo_NorStopTheWatch()
    {
        Exception[] failures = [new InvalidOperationException("Reading is not allowed after reader was completed."), new TaskCanceledException()];
        var checks = 0;
        var fatalErrors = new RecordingFatalErrorHandler();
        var redis = new RedisClusteringOptions
        {
            CreateMultiplexer = _ => Task.FromResult((FailingRedis.Connection(() => failures[Math.Min(Interlocked.Increment(ref checks), failures.Length) - 1]), IsShared: false)),
        };
        using var watchdog = new MembershipRowWatchdog(
            Options.Create(redis), Options.Create(new ClusterOptions { ClusterId = "c", ServiceId = "s" }),
            new ActiveSilo(), new ActiveSilo(), fatalErrors, NullLogger<MembershipRowWatchdog>.Instance);

        await watchdog.StartAsync(CancellationToken.None);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Volatile.Read(ref checks) <= failures.Length && DateTime.UtcNow < deadline && !watchdog.ExecuteTask!.IsCompleted)
        {
            await Task.Delay(100);
        }

        Assert.False(watchdog.ExecuteTask!.IsCompleted, $"the watchdog ended: {watchdog.ExecuteTask.Exception}");
        Assert.True(checks > failures.Length, "the watchdog stopped checking");
        Assert.Equal(0, fatalErrors.Calls);
        await watchdog.StopAsync(CancellationToken.None);
    }

    private sealed class ActiveSilo : ILocalSiloDetails, IClusterMembershipService
    {
        public string Name => "silo";
        public string ClusterId => "c";
        public string DnsHostName => "localhost";
        public SiloAddress SiloAddress => Silo;
        public SiloAddress GatewayAddress => Silo;

        public ClusterMembershipSnapshot CurrentSnapshot { get; } = new(
            ImmutableDictionary<SiloAddress, ClusterMember>.Empty.Add(Silo, new ClusterMember(Silo, SiloStatus.Active, "silo")),
            new MembershipVersion(1));

        public IAsyncEnumerable<ClusterMembershipSnapshot> MembershipUpdates => throw new NotSupportedException();
        public ValueTask Refresh(MembershipVersion minimumVersion = default, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
        public Task<bool> TryKill(SiloAddress siloAddress) => throw new NotSupportedException();
    }

    private sealed class RecordingFatalErrorHandler : IFatalErrorHandler
    {
        public int Calls { get; private set; }

        public bool IsUnexpected(Exception exception) => true;

        public void OnFatalException(object? sender = null, string? context = null, Exception? exception = null) => Calls++;
    }

    /// <summary>A Redis connection whose every hash read fails with the next of the given exceptions.</summary>
    public class FailingRedis : DispatchProxy
    {
        private Func<Exception> _failure = null!;
        private IDatabase? _database;

        public static IConnectionMultiplexer Connection(Func<Exception> failure)
        {
            var database = Create<IDatabase, FailingRedis>();
            ((FailingRedis)(object)database)._failure = failure;
            var connection = Create<IConnectionMultiplexer, FailingRedis>();
            ((FailingRedis)(object)connection)._failure = () => throw new InvalidOperationException("unused");
            ((FailingRedis)(object)connection)._database = database;
            return connection;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name switch
        {
            nameof(IConnectionMultiplexer.GetDatabase) => _database,
            nameof(IAsyncDisposable.DisposeAsync) => ValueTask.CompletedTask,
            nameof(IDisposable.Dispose) => null,
            nameof(IDatabaseAsync.HashGetAllAsync) => Task.FromException<HashEntry[]>(_failure()),
            _ => throw new NotSupportedException(targetMethod?.Name),
        };
    }
}
