using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>
/// A gateway stand-in that records what it is pushed (and for whom), fails every push like a dead gateway, or times
/// out its first pushes like a gateway too busy to answer.
/// </summary>
internal sealed class RecordingObserver(bool fail = false, int timeOutFirst = 0) : IGatewayObserver
{
    private int _calls;

    public ConcurrentQueue<(ChatEvent Event, ImmutableArray<Guid> Users)> Deliveries { get; } = new();

    /// <summary>Every event this gateway was asked to push, the failed pushes too.</summary>
    public ConcurrentQueue<ChatEvent> Attempts { get; } = new();

    public int Calls => _calls;

    public Task DeliverAsync(ChatEvent chatEvent, ImmutableArray<Guid> userIds)
    {
        Attempts.Enqueue(chatEvent);
        if (Interlocked.Increment(ref _calls) <= timeOutFirst)
        {
            throw new TimeoutException("this gateway is too busy to answer in time");
        }

        if (fail)
        {
            throw new InvalidOperationException("this gateway is gone");
        }

        Deliveries.Enqueue((chatEvent, userIds));
        return Task.CompletedTask;
    }

    public IEnumerable<T> EventsFor<T>(Guid userId)
        where T : ChatEvent =>
        Deliveries.Where(d => d.Users.Contains(userId)).Select(d => d.Event).OfType<T>();

    public async Task<T> WaitForAsync<T>(Guid userId, Func<T, bool>? match = null)
        where T : ChatEvent
    {
        // Generous, as a stalled test machine needs it; an event that comes is seen within 50 ms.
        var patience = Stopwatch.StartNew();
        while (patience.Elapsed < TimeSpan.FromSeconds(20))
        {
            if (EventsFor<T>(userId).FirstOrDefault(e => match?.Invoke(e) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} for {userId}; got {string.Join(", ", Deliveries.Select(d => d.Event))}");
    }
}
