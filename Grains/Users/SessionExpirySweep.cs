using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Users;

/// <summary>
/// Expires the sessions of every user grain on this silo from one timer. A grain timer per connected user cost
/// ~470 B and a grain turn every <see cref="SessionTimings.Renewal"/>; here a user with sessions costs one small
/// entry, the moment its least recently renewed session expires. Every Renewal the sweep calls the grains whose
/// moment has passed, on their own schedulers, so a session not renewed for <see cref="SessionTimings.Expiry"/> is
/// dropped, and the user's chats hear of it, within Expiry plus one Renewal.
/// </summary>
internal sealed partial class SessionExpirySweep(IGrainFactory grains, TimeProvider time, ILogger<SessionExpirySweep> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>A crashed gateway expires all of its users in one sweep, and each may write its last-seen time.</summary>
    private const int MaxCallsInFlight = 64;

    private readonly ConcurrentDictionary<Guid, long> _expiresAtTicks = new();
    private readonly CancellationTokenSource _stopping = new();
    private Task _sweeping = Task.CompletedTask;

    /// <summary>Called by the grain on every renewal: overwrites the entry in place, without allocating.</summary>
    public void Schedule(Guid userId, DateTimeOffset expiresAt) => _expiresAtTicks[userId] = expiresAt.UtcTicks;

    /// <summary>Called by the grain when its last session ends and when it deactivates.</summary>
    public void Forget(Guid userId) => _expiresAtTicks.TryRemove(userId, out _);

    /// <summary>Whether the sweep watches the user, i.e. the user's grain on this silo has sessions.</summary>
    public bool IsScheduled(Guid userId) => _expiresAtTicks.ContainsKey(userId);

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(SessionExpirySweep), ServiceLifecycleStage.Active, StartAsync, StopAsync);

    private Task StartAsync(CancellationToken cancellationToken)
    {
        _sweeping = SweepPeriodicallyAsync(_stopping.Token);
        return Task.CompletedTask;
    }

    private async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        // The sweep ends once its calls in flight return; the silo's stop deadline cuts that wait short.
        await _sweeping.WaitAsync(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
    }

    private async Task SweepPeriodicallyAsync(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(SessionTimings.Renewal, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping))
            {
                await SweepAsync(stopping);
            }
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested)
        {
        }
    }

    /// <summary>The entries stay: each grain reschedules or forgets itself, and a failed call is retried next time.</summary>
    private Task SweepAsync(CancellationToken stopping)
    {
        var now = time.GetUtcNow().UtcTicks;
        var due = _expiresAtTicks.Where(entry => entry.Value < now).Select(entry => entry.Key);
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxCallsInFlight, CancellationToken = stopping };
        return Parallel.ForEachAsync(due, options, ExpireAsync);
    }

    private async ValueTask ExpireAsync(Guid userId, CancellationToken stopping)
    {
        try
        {
            await grains.GetGrain<ISessionExpiryGrain>(userId.ToKey()).ExpireSessionsAsync();
        }
        catch (Exception e)
        {
            // Calls fail routinely while the silo stops, so only other failures warn; the entry stays for the next sweep.
            LogExpiryFailed(logger, stopping.IsCancellationRequested ? LogLevel.Debug : LogLevel.Warning, userId, e.GetType().Name);
        }
    }

    [LoggerMessage(Message = "Could not expire the sessions of user {UserId}: {Error}; retrying at the next sweep")]
    private static partial void LogExpiryFailed(ILogger logger, LogLevel level, Guid userId, string error);
}
