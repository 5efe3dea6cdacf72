using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using SafeGram.Gateway.Realtime;
using SafeGram.Gateway.Realtime.Upgrade;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>The per-socket outbound queue: a client that stops reading is closed, never allowed to grow memory.</summary>
public sealed class SocketSessionTests
{
    [Fact]
    public async Task ClientThatNeverReads_IsCutOff_WhenItsQueueOverflows()
    {
        var socket = new NeverReadingSocket();
        var options = new RealtimeOptions { OutboundQueueFrames = 4, CloseGrace = TimeSpan.FromMilliseconds(200) };
        var session = new SocketSession(options, TimeProvider.System);
        var running = session.RunAsync(socket, _ => Task.CompletedTask);

        session.Enqueue("{\"n\":0}"u8.ToArray());
        while (socket.SendsStarted == 0)
        {
            await Task.Delay(10);   // the sender is now stuck on a client that does not read
        }

        for (var i = 1; i < 20; i++)
        {
            session.Enqueue(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
        }

        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(socket.Aborted);
        Assert.Equal(1, socket.SendsStarted);   // the first frame blocked; the backlog was dropped, not sent
    }

    [Fact]
    public async Task RequestClose_SendsTheStatusAfterQueuedFrames()
    {
        var socket = new NeverReadingSocket(sendsComplete: true);
        var session = new SocketSession(new RealtimeOptions { CloseGrace = TimeSpan.FromSeconds(5) }, TimeProvider.System);
        var running = session.RunAsync(socket, _ => Task.CompletedTask);

        session.Enqueue("{\"last\":true}"u8.ToArray());
        session.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(1, socket.SendsStarted);
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, socket.SentCloseStatus);
    }

    [Fact]
    public async Task FramesQueuedWhileRunning_ReachTheClient_InOrder()
    {
        var (serverStream, clientStream) = await ConnectedStreamsAsync();
        using var server = WebSocket.CreateFromStream(serverStream, new WebSocketCreationOptions { IsServer = true });
        using var client = WebSocket.CreateFromStream(clientStream, new WebSocketCreationOptions());
        var session = new SocketSession(new RealtimeOptions(), TimeProvider.System);
        var running = session.RunAsync(server, _ => Task.CompletedTask);

        var buffer = new byte[64];
        for (var i = 0; i < 50; i++)
        {
            session.Enqueue(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}"));
            if (i % 7 == 0)
            {
                await Task.Delay(5);   // the sender drains the queue and waits again
            }
        }

        for (var i = 0; i < 50; i++)
        {
            var received = await client.ReceiveAsync(buffer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal($"{{\"n\":{i}}}", Encoding.UTF8.GetString(buffer, 0, received.Count));
        }

        await client.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task ClientThatNeverAnswersTheClose_IsAbortedAfterTheGrace()
    {
        // As a connection-answered socket runs: on the connection's pipes, its idle read waiting without a token.
        var fromClient = new Pipe();
        var toClient = new Pipe();
        using var server = WebSocket.CreateFromStream(
            new DuplexPipeStream(new PipeConnection(fromClient.Reader, toClient.Writer)), new WebSocketCreationOptions { IsServer = true });
        var session = new SocketSession(new RealtimeOptions { CloseGrace = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);
        var running = session.RunAsync(server, _ => Task.CompletedTask);

        session.RequestClose(WebSocketCloseStatus.EndpointUnavailable, "shutting down");
        await running.WaitAsync(TimeSpan.FromSeconds(30));

        var sent = await toClient.Reader.ReadAsync();
        Assert.Equal(0x88, sent.Buffer.FirstSpan[0]);   // FIN + close opcode: the close went out first
        Assert.Equal(WebSocketState.Aborted, server.State);
    }

    private static async Task<(Stream Server, Stream Client)> ConnectedStreamsAsync()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var client = new TcpClient();
        var accepting = listener.AcceptTcpClientAsync();
        await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        var server = await accepting;
        return (server.GetStream(), client.GetStream());
    }

    /// <summary>A peer whose receive never returns and whose sends block (like a full TCP window) unless told otherwise.</summary>
    private sealed class NeverReadingSocket(bool sendsComplete = false) : WebSocket
    {
        private readonly TaskCompletionSource _aborted = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public int SendsStarted { get; private set; }

        public bool Aborted => _aborted.Task.IsCompleted;

        public WebSocketCloseStatus? SentCloseStatus { get; private set; }

        public override WebSocketCloseStatus? CloseStatus => null;

        public override string? CloseStatusDescription => null;

        public override WebSocketState State => Aborted ? WebSocketState.Aborted : WebSocketState.Open;

        public override string? SubProtocol => null;

        public override void Abort() => _aborted.TrySetResult();

        public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
            CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

        public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken)
        {
            SentCloseStatus = closeStatus;
            return Task.CompletedTask;
        }

        public override void Dispose() => Abort();

        public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
        {
            await _aborted.Task.WaitAsync(cancellationToken);
            throw new WebSocketException(WebSocketError.ConnectionClosedPrematurely);
        }

        public override async Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken)
        {
            SendsStarted++;
            if (!sendsComplete)
            {
                await _aborted.Task.WaitAsync(cancellationToken);
            }
        }
    }
}
