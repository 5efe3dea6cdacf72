using System.Net;
using System.Net.Sockets;

namespace SafeGram.TestSupport;

/// <summary>
/// Loopback ports for the servers a test starts. They come from below the kernel's ephemeral range: a port the kernel
/// hands out for "port 0" is free only until any outgoing connection (a database pool, an Orleans client) takes it as
/// its source port, which can happen before the server that was told to use it binds it.
/// </summary>
public static class FreePorts
{
    private const string EphemeralRangeFile = "/proc/sys/net/ipv4/ip_local_port_range";
    private const int LowestPort = 10_000;

    private static readonly Lock Gate = new();
    private static readonly int EndOfRange = EphemeralStart();
    private static int _next = LowestPort + Random.Shared.Next(Math.Max(1, EndOfRange - LowestPort));

    /// <summary>A loopback port nothing listens on right now, not handed out before by this process.</summary>
    public static int Next()
    {
        if (EndOfRange <= LowestPort)
        {
            return KernelChosenPort();
        }

        lock (Gate)
        {
            for (var left = EndOfRange - LowestPort; left > 0; left--)
            {
                var port = _next;
                _next = _next + 1 < EndOfRange ? _next + 1 : LowestPort;
                if (IsFree(port))
                {
                    return port;
                }
            }
        }

        throw new InvalidOperationException($"No free loopback port in {LowestPort}-{EndOfRange - 1}.");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int KernelChosenPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The first ephemeral port (Linux), or the IANA default where the kernel does not say.</summary>
    private static int EphemeralStart()
    {
        if (!File.Exists(EphemeralRangeFile))
        {
            return 49_152;
        }

        var range = File.ReadAllText(EphemeralRangeFile).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return range.Length > 0 && int.TryParse(range[0], out var start) ? start : 49_152;
    }
}
