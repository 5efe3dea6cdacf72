using System.Diagnostics;
using System.Threading.Channels;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Diagnostics;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Group commit for sends: inserts from every chat on this silo that arrive while a write is in flight
/// are committed together (one round trip, one transaction). Each caller is answered only after the
/// commit that holds its row. Under light load a send is written at once, alone. How long rows wait for a
/// writer, how long their commits take and how many rows each holds are exported (<see cref="SafeGramMetrics"/>).
/// </summary>
internal sealed class MessageInsertBatcher : IAsyncDisposable
{
    private const int MaxBatch = 128;
    private const int Writers = 4;

    private readonly Func<IReadOnlyList<ChatMessage>, CancellationToken, Task<bool[]>> _insertRows;
    private readonly Func<Exception, bool> _blamesARow;
    private readonly Channel<PendingInsert> _queue = Channel.CreateUnbounded<PendingInsert>();
    private readonly Task[] _writers;

    /// <param name="insertRows">Writes rows in one transaction; for each, whether it was inserted (<c>false</c>: its client message id was already used).</param>
    /// <param name="blamesARow">Whether a failed batch may have failed for one of its rows (a constraint, a refused value) and the others are worth writing alone.</param>
    public MessageInsertBatcher(
        Func<IReadOnlyList<ChatMessage>, CancellationToken, Task<bool[]>> insertRows, Func<Exception, bool> blamesARow)
    {
        _insertRows = insertRows;
        _blamesARow = blamesARow;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Completes with <c>true</c> once the row is committed, <c>false</c> when its client message id was already used.</summary>
    public Task<bool> InsertAsync(ChatMessage message)
    {
        var pending = new PendingInsert(message, Stopwatch.GetTimestamp(), new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(MessageInsertBatcher));
        }

        return pending.Committed.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingInsert>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            if (batch.Count > 0)
            {
                var taken = Stopwatch.GetTimestamp();
                foreach (var pending in batch)
                {
                    SafeGramMetrics.InsertQueueDuration.Record(Stopwatch.GetElapsedTime(pending.QueuedAt, taken).TotalMilliseconds);
                }

                await CommitAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<PendingInsert> batch)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var inserted = await _insertRows([.. batch.Select(p => p.Message)], CancellationToken.None);
            RecordCommit(batch.Count, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Committed.TrySetResult(inserted[i]);
            }
        }
        catch (Exception e) when (batch.Count > 1 && _blamesARow(e))
        {
            // One bad row (a stale seq) must not fail its neighbours: write them one by one.
            foreach (var single in batch)
            {
                await CommitAsync([single]);
            }
        }
        catch (Exception e)
        {
            // The database itself failed (unreachable, timed out): every row fails now, not after a timeout per row.
            foreach (var pending in batch)
            {
                pending.Committed.TrySetException(e);
            }
        }
    }

    private static void RecordCommit(int rows, double milliseconds)
    {
        SafeGramMetrics.InsertBatchSize.Record(rows);
        for (var i = 0; i < rows; i++)
        {
            SafeGramMetrics.InsertCommitDuration.Record(milliseconds);
        }
    }

    private sealed record PendingInsert(ChatMessage Message, long QueuedAt, TaskCompletionSource<bool> Committed);
}
