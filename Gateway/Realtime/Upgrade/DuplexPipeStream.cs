using System.Buffers;
using System.IO.Pipelines;

namespace SafeGram.Gateway.Realtime.Upgrade;

/// <summary>
/// A connection's pipes as the stream a <see cref="System.Net.WebSockets.WebSocket"/> runs on. A zero-byte read waits
/// for data without taking any, so an idle socket holds no buffer. The connection owns the pipes: disposing this
/// leaves them to it, but ends a read or flush in progress (a WebSocket aborts by disposing its stream).
/// </summary>
internal sealed class DuplexPipeStream(IDuplexPipe pipe) : Stream
{
    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        var result = await pipe.Input.ReadAsync(cancellationToken);
        var buffer = result.Buffer;
        if (result.IsCanceled)
        {
            pipe.Input.AdvanceTo(buffer.Start);
            throw new OperationCanceledException(cancellationToken);
        }

        var count = (int)Math.Min(buffer.Length, destination.Length);
        buffer.Slice(0, count).CopyTo(destination.Span);
        pipe.Input.AdvanceTo(buffer.GetPosition(count));
        return count;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
    {
        ThrowIfEnded(await pipe.Output.WriteAsync(source, cancellationToken), cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        ThrowIfEnded(await pipe.Output.FlushAsync(cancellationToken), cancellationToken);
    }

    public override void Flush() => throw new NotSupportedException("Asynchronous only.");

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("Asynchronous only.");

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            pipe.Input.CancelPendingRead();
            pipe.Output.CancelPendingFlush();
        }

        base.Dispose(disposing);
    }

    private static void ThrowIfEnded(FlushResult flushed, CancellationToken cancellationToken)
    {
        if (flushed.IsCanceled)
        {
            throw new OperationCanceledException(cancellationToken);
        }

        if (flushed.IsCompleted)
        {
            throw new IOException("The connection is closed.");
        }
    }
}
