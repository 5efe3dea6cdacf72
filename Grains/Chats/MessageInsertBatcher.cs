using System.Threading.Channels;
using Npgsql;
using SafeGram.Grains.Abstractions.Chats;

namespace SafeGram.Grains.Chats;

/// <summary>
/// Group commit for sends: inserts from every chat on this silo that arrive while a write is in flight
/// are committed together in one batch (one round trip, one transaction). Each caller is answered only
/// after the commit that holds its row. Under light load a send is written at once, alone.
/// </summary>
internal sealed class MessageInsertBatcher : IAsyncDisposable
{
    private const int MaxBatch = 128;
    private const int Writers = 4;

    private readonly NpgsqlDataSource _dataSource;
    private readonly Func<ChatMessage, NpgsqlBatchCommand> _command;
    private readonly Channel<PendingInsert> _queue = Channel.CreateUnbounded<PendingInsert>();
    private readonly Task[] _writers;

    public MessageInsertBatcher(NpgsqlDataSource dataSource, Func<ChatMessage, NpgsqlBatchCommand> command)
    {
        _dataSource = dataSource;
        _command = command;
        _writers = [.. Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync))];
    }

    /// <summary>Completes with <c>true</c> once the row is committed, <c>false</c> when its client message id was already used.</summary>
    public Task<bool> InsertAsync(ChatMessage message)
    {
        var pending = new PendingInsert(message, new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously));
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
                await CommitAsync(batch);
                batch.Clear();
            }
        }
    }

    private async Task CommitAsync(List<PendingInsert> batch)
    {
        try
        {
            var inserted = await ExecuteAsync(batch);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Committed.TrySetResult(inserted[i]);
            }
        }
        catch (Exception) when (batch.Count > 1)
        {
            // One bad row (a stale seq) must not fail its neighbours: write them one by one.
            foreach (var single in batch)
            {
                await CommitAsync([single]);
            }
        }
        catch (Exception e)
        {
            batch[0].Committed.TrySetException(e);
        }
    }

    private async Task<bool[]> ExecuteAsync(List<PendingInsert> batch)
    {
        await using var command = _dataSource.CreateBatch();
        foreach (var pending in batch)
        {
            command.BatchCommands.Add(_command(pending.Message));
        }

        // A batch is one implicit transaction: every row of it is committed, or none.
        await command.ExecuteNonQueryAsync();
        var inserted = new bool[batch.Count];
        for (var i = 0; i < inserted.Length; i++)
        {
            inserted[i] = command.BatchCommands[i].RecordsAffected == 1;
        }

        return inserted;
    }

    private sealed record PendingInsert(ChatMessage Message, TaskCompletionSource<bool> Committed);
}
