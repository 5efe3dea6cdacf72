using System.Buffers;
using System.IO.Pipelines;
using SafeGram.Gateway.Realtime.Upgrade;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>The stream a connection-answered socket runs on: its reads and writes go straight to the connection's pipes.</summary>
public sealed class DuplexPipeStreamTests
{
    private readonly Pipe _fromClient = new();

    // A client that does not read holds the writer back after 64 bytes, as a full TCP window does.
    private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32));

    private DuplexPipeStream Stream => new(new PipeConnection(_fromClient.Reader, _toClient.Writer));

    [Fact]
    public async Task ZeroByteRead_WaitsForData_AndTakesNone()
    {
        var stream = Stream;
        var waiting = stream.ReadAsync(Memory<byte>.Empty).AsTask();
        await Task.Delay(50);
        Assert.False(waiting.IsCompleted);

        await _fromClient.Writer.WriteAsync(new byte[] { 1, 2, 3 });

        Assert.Equal(0, await waiting.WaitAsync(TimeSpan.FromSeconds(5)));
        var buffer = new byte[8];
        Assert.Equal(3, await stream.ReadAsync(buffer));
        Assert.Equal(new byte[] { 1, 2, 3 }, buffer[..3]);
    }

    [Fact]
    public async Task Read_TakesWhatFits_AndLeavesTheRest()
    {
        var stream = Stream;
        await _fromClient.Writer.WriteAsync(new byte[] { 1, 2, 3, 4, 5 });

        var first = new byte[2];
        var rest = new byte[8];
        Assert.Equal(2, await stream.ReadAsync(first));
        Assert.Equal(3, await stream.ReadAsync(rest));
        Assert.Equal(new byte[] { 1, 2 }, first);
        Assert.Equal(new byte[] { 3, 4, 5 }, rest[..3]);
    }

    [Fact]
    public async Task Read_AfterTheClientFinishes_IsTheEnd()
    {
        await _fromClient.Writer.CompleteAsync();

        Assert.Equal(0, await Stream.ReadAsync(new byte[4]));
    }

    [Fact]
    public async Task Write_ReachesTheClient_AndFailsOnceTheConnectionIsGone()
    {
        var stream = Stream;
        await stream.WriteAsync(new byte[] { 7, 8 });
        var sent = await _toClient.Reader.ReadAsync();
        Assert.Equal(new byte[] { 7, 8 }, sent.Buffer.ToArray());
        _toClient.Reader.AdvanceTo(sent.Buffer.End);

        await _toClient.Reader.CompleteAsync();

        await Assert.ThrowsAsync<IOException>(() => stream.WriteAsync(new byte[] { 9 }).AsTask());
    }

    [Fact]
    public async Task Dispose_EndsAReadInProgress()
    {
        var stream = Stream;
        var waiting = stream.ReadAsync(Memory<byte>.Empty).AsTask();
        await Task.Delay(50);

        await stream.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Dispose_EndsAWriteHeldBackByAClientThatDoesNotRead()
    {
        var stream = Stream;
        var writing = stream.WriteAsync(new byte[256]).AsTask();
        await Task.Delay(50);
        Assert.False(writing.IsCompleted);

        await stream.DisposeAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writing.WaitAsync(TimeSpan.FromSeconds(5)));
    }
}
