using SafeGram.Bench.Measure;
using SafeGram.Bench.Report;

namespace SafeGram.Bench.Connections;

/// <summary>RSS of the gateways and silos and the kernel's socket memory at one moment.</summary>
internal sealed record MemorySnapshot(long GatewayKb, long SiloKb, long TcpPages, long SlabKb, long KernelSockets)
{
    public static MemorySnapshot Take(IReadOnlyList<ServerProcess> servers)
    {
        var kernel = ProcFs.KernelMemory();
        return new MemorySnapshot(
            servers.OfRole("gateway").Sum(p => ProcFs.RssKb(p.Pid)),
            servers.OfRole("silo").Sum(p => ProcFs.RssKb(p.Pid)),
            kernel.TcpPages, kernel.SlabKb, kernel.SocketsUsed);
    }

    /// <summary>Growth since <paramref name="before"/> per open socket, into <paramref name="result"/>.</summary>
    public void Compare(MemorySnapshot before, int sockets, ScenarioResult result, string prefix)
    {
        double PerSocket(long kb) => sockets > 0 ? Math.Round(kb / (double)sockets, 2) : double.NaN;
        result.Set(prefix + "ws_kb_per_socket", PerSocket(GatewayKb + SiloKb - before.GatewayKb - before.SiloKb))
            .Set(prefix + "gateway_kb_per_socket", PerSocket(GatewayKb - before.GatewayKb))
            .Set(prefix + "silo_kb_per_socket", PerSocket(SiloKb - before.SiloKb))
            .Set(prefix + "gateway_rss_mb_before", Math.Round(before.GatewayKb / 1024.0))
            .Set(prefix + "gateway_rss_mb_after", Math.Round(GatewayKb / 1024.0))
            .Set(prefix + "silo_rss_mb_before", Math.Round(before.SiloKb / 1024.0))
            .Set(prefix + "silo_rss_mb_after", Math.Round(SiloKb / 1024.0));
        if (prefix.Length == 0)
        {
            result.Set("kernel_tcp_buffer_kb_per_socket", PerSocket((TcpPages - before.TcpPages) * 4))
                .Set("kernel_slab_kb_per_socket", PerSocket(SlabKb - before.SlabKb))
                .Set("kernel_sockets_added", KernelSockets - before.KernelSockets)
                .Note("kernel figures cover both ends of each loopback connection (client and gateway) and the whole machine's slab, so they are an upper bound");
        }
    }
}
