using SafeGram.Gateway.Realtime;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>A socket's outbound queue: bounded, in order, many writers and one reader that waits without polling.</summary>
public sealed class OutboundQueueTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public void Frames_ComeOutInOrder_AcrossGrowthAndWrapAround()
    {
        var queue = new OutboundQueue(capacity: 64);
        var next = 0;
        var expected = 0;
        // Partial drains move the head, so the buffer grows while its frames wrap around its end.
        for (var round = 0; round < 10; round++)
        {
            for (var i = 0; i < 6; i++)
            {
                Assert.True(queue.TryWrite(Frame(next++)));
            }

            for (var i = 0; i < 3; i++)
            {
                Assert.True(queue.TryRead(out var frame));
                Assert.Equal(expected++, Number(frame));
            }
        }

        while (queue.TryRead(out var frame))
        {
            Assert.Equal(expected++, Number(frame));
        }

        Assert.Equal(next, expected);
    }

    [Fact]
    public void AFullQueue_RefusesFrames_UntilOneIsRead()
    {
        var queue = new OutboundQueue(capacity: 5);
        for (var i = 0; i < 5; i++)
        {
            Assert.True(queue.TryWrite(Frame(i)));
        }

        Assert.False(queue.TryWrite(Frame(5)));
        Assert.True(queue.TryRead(out _));
        Assert.True(queue.TryWrite(Frame(6)));
        Assert.False(queue.TryWrite(Frame(7)));
    }

    [Fact]
    public async Task AWaitingReader_IsWokenByAWrite()
    {
        var queue = new OutboundQueue(capacity: 8);
        var waiting = queue.WaitToReadAsync();
        Assert.False(waiting.IsCompleted);

        Assert.True(queue.TryWrite(Frame(1)));
        Assert.True(await waiting.AsTask().WaitAsync(Patience));
        Assert.True(queue.TryRead(out var frame));
        Assert.Equal(1, Number(frame));
        Assert.False(queue.WaitToReadAsync().IsCompleted);
    }

    [Fact]
    public async Task Complete_LetsTheReaderDrainQueuedFrames_ThenEndsItsWait()
    {
        var queue = new OutboundQueue(capacity: 8);
        queue.TryWrite(Frame(1));
        queue.TryWrite(Frame(2));
        queue.Complete();

        Assert.False(queue.TryWrite(Frame(3)));
        Assert.True(await queue.WaitToReadAsync());
        Assert.True(queue.TryRead(out var first));
        Assert.True(queue.TryRead(out var second));
        Assert.Equal([1, 2], [Number(first), Number(second)]);
        Assert.False(await queue.WaitToReadAsync());
    }

    [Fact]
    public async Task Complete_WakesAWaitingReader_WithFalse()
    {
        var queue = new OutboundQueue(capacity: 8);
        var waiting = queue.WaitToReadAsync();

        queue.Complete();

        Assert.False(await waiting.AsTask().WaitAsync(Patience));
    }

    [Fact]
    public async Task ConcurrentWriters_EveryFrameReachesTheReader_OnceAndInEachWritersOrder()
    {
        const int writers = 4;
        const int perWriter = 20_000;
        var queue = new OutboundQueue(capacity: 16);
        var lastSeen = Enumerable.Repeat(-1, writers).ToArray();
        var received = 0;

        var reader = Task.Run(async () =>
        {
            while (await queue.WaitToReadAsync())
            {
                while (queue.TryRead(out var frame))
                {
                    var (writer, sequence) = (frame[0], BitConverter.ToInt32(frame, 1));
                    Assert.Equal(lastSeen[writer] + 1, sequence);
                    lastSeen[writer] = sequence;
                    received++;
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(0, writers).Select(writer => Task.Run(async () =>
        {
            for (var sequence = 0; sequence < perWriter; sequence++)
            {
                var frame = new byte[5];
                frame[0] = (byte)writer;
                BitConverter.TryWriteBytes(frame.AsSpan(1), sequence);
                while (!queue.TryWrite(frame))
                {
                    await Task.Yield();   // full: the reader catches up
                }
            }
        })));
        queue.Complete();
        await reader.WaitAsync(Patience);

        Assert.Equal(writers * perWriter, received);
        Assert.All(lastSeen, last => Assert.Equal(perWriter - 1, last));
    }

    private static byte[] Frame(int number) => BitConverter.GetBytes(number);

    private static int Number(byte[] frame) => BitConverter.ToInt32(frame);
}
