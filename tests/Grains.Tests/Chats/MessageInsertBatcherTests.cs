using System.Collections.Concurrent;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Chats;

namespace SafeGram.Grains.Tests.Chats;

/// <summary>The group commit's failure paths, with a writer the test controls (its PostgreSQL paths: PostgresMessageLogTests).</summary>
public sealed class MessageInsertBatcherTests
{
    private const int Rows = 20;

    [Fact]
    public async Task AFailureNoRowCaused_FailsEveryRowOfItsBatchAtOnce_WithoutWritingAnyAgain()
    {
        var writing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var outage = new TimeoutException("the database did not answer");
        var batchSizes = new ConcurrentQueue<int>();
        await using var batcher = new MessageInsertBatcher(
            async (rows, _) =>
            {
                batchSizes.Enqueue(rows.Count);
                await writing.Task;
                throw outage;
            },
            blamesARow: _ => false);

        var inserts = Enumerable.Range(1, Rows).Select(seq => batcher.InsertAsync(Row(seq))).ToArray();
        writing.SetResult();

        foreach (var insert in inserts)
        {
            Assert.Same(outage, await Assert.ThrowsAsync<TimeoutException>(() => insert));
        }

        Assert.Contains(batchSizes, size => size > 1);
        Assert.Equal(Rows, batchSizes.Sum());
    }

    private static ChatMessage Row(long seq) => new(
        Guid.CreateVersion7(), Guid.NewGuid(), seq, Guid.NewGuid(), "sender", "text", DateTimeOffset.UtcNow,
        EditedAt: null, DeletedAt: null, ReplyTo: null, ClientMessageId: null, Version: seq, Reactions: []);
}
