using System.Net;
using System.Net.Sockets;
using System.Text;
using Npgsql;

namespace SafeGram.TestSupport;

/// <summary>
/// A TCP relay in front of PostgreSQL that can break one client connection under a statement, found by a marker in its
/// bytes (a parameter value, say), the way a dropped connection does (<see cref="CutPoint"/>).
/// </summary>
public sealed class ConnectionCuttingProxy : IAsyncDisposable
{
    private const int ChunkSize = 64 * 1024;

    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly IPEndPoint _server;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _accepting;
    private byte[]? _marker;
    private CutPoint _cutPoint;
    private int _cuts;

    private ConnectionCuttingProxy(string connectionString)
    {
        var server = new NpgsqlConnectionStringBuilder(connectionString);
        _server = new IPEndPoint(IPAddress.Parse(server.Host!), server.Port);
        _listener.Start();
        ConnectionString = new NpgsqlConnectionStringBuilder(connectionString)
        {
            Host = IPAddress.Loopback.ToString(),
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port,

            // Npgsql otherwise sends a reused connection's reset ahead of its next statement, and the server answers the
            // reset before the statement runs: the first answer after a statement would not be the statement's own.
            NoResetOnClose = true,
        }.ConnectionString;
        _accepting = AcceptAsync(_stopping.Token);
    }

    /// <summary>The same database, reached through this relay.</summary>
    public string ConnectionString { get; }

    /// <summary>How many connections were cut so far.</summary>
    public int Cuts => Volatile.Read(ref _cuts);

    /// <summary>Relays to the PostgreSQL server <paramref name="connectionString"/> names (by IP address).</summary>
    public static ConnectionCuttingProxy Start(string connectionString) => new(connectionString);

    /// <summary>Cuts the connection of the next statement sent with <paramref name="marker"/> in it (once).</summary>
    public void Cut(string marker, CutPoint where)
    {
        _cutPoint = where;
        Volatile.Write(ref _marker, Encoding.UTF8.GetBytes(marker));
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        await _accepting;
        _stopping.Dispose();
    }

    private async Task AcceptAsync(CancellationToken stopping)
    {
        var relays = new List<Task>();
        try
        {
            while (true)
            {
                relays.Add(RelayAsync(await _listener.AcceptTcpClientAsync(stopping), stopping));
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping.
        }

        await Task.WhenAll(relays);
    }

    private async Task RelayAsync(TcpClient client, CancellationToken stopping)
    {
        using var server = new TcpClient();
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var connection = new Connection(client);
        try
        {
            using (client)
            {
                await server.ConnectAsync(_server, ended.Token);
                var upstream = PumpRequestsAsync(client.GetStream(), server.GetStream(), connection, ended.Token);
                var downstream = PumpAnswersAsync(server.GetStream(), client.GetStream(), connection, ended.Token);
                await Task.WhenAny(upstream, downstream);
                if (connection.LoseNextAnswer)
                {
                    // The server learns that its client is gone only once it answers: after the statement and its commit.
                    await downstream;
                }

                await ended.CancelAsync();
                await Task.WhenAll(upstream, downstream);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
        {
            // Either side went away: the other goes with it (the usings close both).
        }
    }

    private async Task PumpRequestsAsync(NetworkStream from, NetworkStream to, Connection connection, CancellationToken ended)
    {
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await from.ReadAsync(buffer, ended)) > 0)
        {
            var marker = Volatile.Read(ref _marker);
            if (connection.Carries(marker, buffer.AsSpan(0, read)) && Interlocked.CompareExchange(ref _marker, null, marker) == marker)
            {
                var cut = _cutPoint;
                if (cut == CutPoint.BeforeTheStatement)
                {
                    Interlocked.Increment(ref _cuts);
                    return;
                }

                connection.CountsCutAtAnswer = cut == CutPoint.AfterTheCommit;
                connection.LoseNextAnswer = true;
                await to.WriteAsync(buffer.AsMemory(0, read), ended);
                if (cut == CutPoint.WhileRunning)
                {
                    Interlocked.Increment(ref _cuts);
                    connection.CutClient();
                    return;
                }

                continue;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), ended);
        }
    }

    private async Task PumpAnswersAsync(NetworkStream from, NetworkStream to, Connection connection, CancellationToken ended)
    {
        var buffer = new byte[ChunkSize];
        int read;
        while ((read = await from.ReadAsync(buffer, ended)) > 0)
        {
            // PostgreSQL holds a statement's answer until it has committed, so its first bytes mean the commit is done.
            if (connection.LoseNextAnswer)
            {
                if (connection.CountsCutAtAnswer)
                {
                    Interlocked.Increment(ref _cuts);
                }

                return;
            }

            await to.WriteAsync(buffer.AsMemory(0, read), ended);
        }
    }

    /// <summary>One client connection's state; the tail of its last chunk catches a marker split across two reads.</summary>
    private sealed class Connection(TcpClient client)
    {
        private byte[] _tail = [];

        public volatile bool LoseNextAnswer;

        public bool CountsCutAtAnswer;

        public void CutClient() => client.Client.Shutdown(SocketShutdown.Both);

        public bool Carries(byte[]? marker, ReadOnlySpan<byte> chunk)
        {
            if (marker is null)
            {
                _tail = [];
                return false;
            }

            var seen = new byte[_tail.Length + chunk.Length];
            _tail.CopyTo(seen, 0);
            chunk.CopyTo(seen.AsSpan(_tail.Length));
            _tail = seen[Math.Max(0, seen.Length - marker.Length + 1)..];
            return seen.AsSpan().IndexOf(marker) >= 0;
        }
    }
}

/// <summary>Where <see cref="ConnectionCuttingProxy"/> breaks a statement's connection.</summary>
public enum CutPoint
{
    /// <summary>The statement never reaches the server.</summary>
    BeforeTheStatement,

    /// <summary>The server ran and committed the statement; its answer never reaches the client.</summary>
    AfterTheCommit,

    /// <summary>The client's connection breaks as soon as the statement is sent; the server runs and commits it anyway.</summary>
    WhileRunning,
}
