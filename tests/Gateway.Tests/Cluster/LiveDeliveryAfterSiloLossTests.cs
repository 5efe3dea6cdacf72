using System.Diagnostics;
using System.Net;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;
using Xunit.Abstractions;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// A silo dies under a chat whose members sit on one gateway. The user grains that lived there come back elsewhere
/// knowing no sessions, so their members hear nothing live until a renewal tells them again: the gateway renews soon
/// after it loses a silo connection instead of at its next tick, up to 15 s away.
/// </summary>
[Collection(RecoveryTimingCollection.Name)]
public sealed class LiveDeliveryAfterSiloLossTests(ITestOutputHelper output)
{
    /// <summary>Enough members that some user grains almost surely lived on the silo that dies (all survive: 1 in 256).</summary>
    private const int Receivers = 8;

    /// <summary>Detection (~3–4 s), the gateway's renewal 5 s after the connection closed, and a margin.</summary>
    private static readonly TimeSpan LiveAgainBy = TimeSpan.FromSeconds(9);

    [Fact]
    public async Task SiloLoss_EveryMemberHearsSendsLiveAgainWithinSeconds()
    {
        var cluster = await ClusterConfiguration.CreateAsync();
        await using var doomed = await ClusterProcesses.StartSiloAsync(cluster);
        await using var survivor = await ClusterProcesses.StartSiloAsync(cluster);
        await using var gateway = await ClusterProcesses.StartGatewayAsync(cluster);
        using var api = ClusterProcesses.Api(gateway, TimeSpan.FromSeconds(15));
        var sender = await api.RegisterAsync();
        var receivers = await Task.WhenAll(Enumerable.Range(0, Receivers).Select(_ => api.RegisterAsync()));
        var chatId = (await api.CreateGroupAsync(sender, receivers)).Id();
        var sockets = await Task.WhenAll(receivers.Select(r => SocketClient.ConnectAsync(gateway.BaseAddress, r.Token)));
        try
        {
            await HearOneLiveAsync(api, sender, chatId, sockets);

            var clock = Stopwatch.StartNew();
            doomed.Kill();
            var late = new List<Guid>();
            while (clock.Elapsed < LiveAgainBy + TimeSpan.FromSeconds(3))
            {
                var sentAt = clock.Elapsed;
                var (status, message) = await api.PostAsync($"/api/chats/{chatId}/messages", new { text = $"at {sentAt}" }, sender.Token);
                if (status == HttpStatusCode.OK && sentAt >= LiveAgainBy)
                {
                    late.Add(message.Id());
                }

                await Task.Delay(250);
            }

            output.WriteLine($"silo-loss-delivery: sends_checked={late.Count} receivers={Receivers}");
            Assert.NotEmpty(late);
            foreach (var socket in sockets)
            {
                foreach (var id in late)
                {
                    await socket.WaitForAsync(SocketClient.OfType("message", f => f.GetProperty("data").Id() == id), TimeSpan.FromSeconds(5));
                }
            }
        }
        finally
        {
            foreach (var socket in sockets)
            {
                await socket.DisposeAsync();
            }
        }
    }

    /// <summary>Sends until one message reaches every socket: the members' routes have reached the chat.</summary>
    private static async Task HearOneLiveAsync(ApiClient api, RegisteredUser sender, Guid chatId, SocketClient[] sockets)
    {
        for (var attempt = 1; ; attempt++)
        {
            var sent = await api.SendAsync(sender, chatId, $"before the loss ({attempt})");
            try
            {
                await Task.WhenAll(sockets.Select(s => s.WaitForAsync(SocketClient.OfType("message", f => f.GetProperty("data").Id() == sent.Id()), TimeSpan.FromSeconds(2))));
                return;
            }
            catch (TimeoutException) when (attempt < 5)
            {
            }
        }
    }
}
