using System.Collections.Concurrent;
using SafeGram.Grains.Abstractions.Realtime;

namespace SafeGram.Grains.Tests.Realtime;

/// <summary>A gateway stand-in that records what it is pushed, or fails every push like a dead gateway.</summary>
internal sealed class RecordingObserver(bool fail = false) : IUserSessionObserver
{
    public ConcurrentQueue<ChatEvent> Events { get; } = new();

    public int Calls => _calls;

    private int _calls;

    public Task OnEventAsync(ChatEvent chatEvent)
    {
        Interlocked.Increment(ref _calls);
        if (fail)
        {
            throw new InvalidOperationException("this gateway is gone");
        }

        Events.Enqueue(chatEvent);
        return Task.CompletedTask;
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool>? match = null)
        where T : ChatEvent
    {
        for (var i = 0; i < 100; i++)
        {
            if (Events.OfType<T>().FirstOrDefault(e => match?.Invoke(e) ?? true) is { } found)
            {
                return found;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"No {typeof(T).Name} arrived; got {string.Join(", ", Events)}");
    }
}
