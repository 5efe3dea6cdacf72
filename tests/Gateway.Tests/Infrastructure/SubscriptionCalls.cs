using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>
/// The gateway's subscribe and unsubscribe calls to user grains, seen by an outgoing call filter of its embedded silo:
/// the order in which they were sent, and a way to hold a user's next unsubscribe or fail its next subscribes.
/// </summary>
public sealed class SubscriptionCalls : IOutgoingGrainCallFilter
{
    public const string Subscribe = nameof(IUserGrain.ConnectAsync);
    public const string Unsubscribe = nameof(IUserGrain.DisconnectAsync);

    private readonly Lock _gate = new();
    private readonly Dictionary<string, List<string>> _sent = [];
    private readonly Dictionary<string, HeldCall> _held = [];
    private readonly List<HeldCall> _everHeld = [];
    private readonly Dictionary<string, int> _failing = [];

    /// <summary>The user's next unsubscribe waits, before it is sent, until the returned call is released.</summary>
    public HeldCall HoldNextUnsubscribe(Guid userId)
    {
        var held = new HeldCall();
        lock (_gate)
        {
            _held[userId.ToKey()] = held;
            _everHeld.Add(held);
        }

        return held;
    }

    /// <summary>Lets every held call go (a test that failed before releasing its call must not hang the gateway's stop).</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            _everHeld.ForEach(held => held.Release());
        }
    }

    /// <summary>The user's next <paramref name="count"/> subscribes fail as if the grain could not be reached.</summary>
    public void FailNextSubscribes(Guid userId, int count)
    {
        lock (_gate)
        {
            _failing[userId.ToKey()] = count;
        }
    }

    /// <summary>The user's subscribes and unsubscribes in the order they were sent (failed ones not included).</summary>
    public IReadOnlyList<string> SentFor(Guid userId)
    {
        lock (_gate)
        {
            return _sent.TryGetValue(userId.ToKey(), out var sent) ? [.. sent] : [];
        }
    }

    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        var method = context.InterfaceMethod;
        if (method?.DeclaringType != typeof(IUserGrain) || method.Name is not (Subscribe or Unsubscribe))
        {
            await context.Invoke();
            return;
        }

        var user = context.TargetId.Key.ToString()!;
        HeldCall? held = null;
        var fail = false;
        lock (_gate)
        {
            if (method.Name == Unsubscribe && _held.Remove(user, out var found))
            {
                held = found;
            }

            if (method.Name == Subscribe && _failing.TryGetValue(user, out var failures) && failures > 0)
            {
                _failing[user] = failures - 1;
                fail = true;
            }
        }

        if (held is not null)
        {
            await held.WaitForReleaseAsync();
        }

        if (fail)
        {
            throw new TimeoutException($"test: user grain {user} made unreachable");
        }

        lock (_gate)
        {
            (_sent.TryGetValue(user, out var sent) ? sent : _sent[user] = []).Add(method.Name);
        }

        await context.Invoke();
    }

    public sealed class HeldCall
    {
        private readonly TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Completes when the call is waiting to be sent.</summary>
        public Task Reached => _reached.Task;

        public void Release() => _released.TrySetResult();

        internal Task WaitForReleaseAsync()
        {
            _reached.TrySetResult();
            return _released.Task;
        }
    }
}
