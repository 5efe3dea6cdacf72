using System.Diagnostics;
using SafeGram.Bench.Api;
using SafeGram.Bench.Cli;

namespace SafeGram.Bench.Setup;

/// <summary>
/// <c>setup</c>: registers the user pools, creates every chat the scenarios use, seeds the read chat, registers the
/// socket users, and writes state.json, sockets.tokens and the wrk request files (*.tsv) into the run directory.
/// </summary>
internal static class SetupCommand
{
    private const int Parallelism = 32;

    public static async Task<int> RunAsync(Options options)
    {
        var dir = options.Get("dir");
        var tag = options.Get("tag");
        var gateways = options.List("gateways").Select(url => new GatewayApi(HttpFactory.Client(url))).ToList();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(options.Int("max-minutes", 15)));
        var ct = timeout.Token;
        var started = Stopwatch.GetTimestamp();

        var state = new BenchState
        {
            Senders = await Registrar.RegisterAsync(gateways, $"b{tag}s", options.Int("senders", 1000), Parallelism, ct),
            Receivers = await Registrar.RegisterAsync(gateways, $"b{tag}r", options.Int("receivers", 800), Parallelism, ct),
            Crowd = await Registrar.RegisterAsync(gateways, $"b{tag}c", options.Int("crowd", 1000), Parallelism, ct),
        };

        var sendChatSize = options.Int("send-chat-size", 5);
        state.SendChats = await ChatBuilder.CreateManyAsync(gateways, state.Senders, state.Senders.Length / sendChatSize, sendChatSize, "send", ct);
        state.ReadChat = await ChatBuilder.CreateAsync(gateways[0], state.Senders, [.. Enumerable.Range(0, sendChatSize)], "read", ct);
        await SeedAsync(gateways[0], state.Senders, state.ReadChat, options.Int("read-messages", 100), ct);

        var deliverySize = options.Int("delivery-chat-size", 4);
        state.DeliveryChats = await ChatBuilder.CreateManyAsync(
            gateways, state.Receivers, state.Receivers.Length / deliverySize, deliverySize, "delivery", ct);

        var crowdSizes = options.List("crowd-groups").Select(int.Parse).OrderDescending().ToList();
        state.CrowdChats = [.. await Task.WhenAll(crowdSizes.Select(size =>
            ChatBuilder.CreateAsync(gateways[0], state.Crowd, [.. Enumerable.Range(0, size)], $"crowd {size}", ct)))];

        var socketUsers = await Registrar.RegisterAsync(gateways, $"b{tag}w", options.Int("socket-users", 0), Parallelism, ct);
        await File.WriteAllLinesAsync(Path.Combine(dir, "sockets.tokens"), socketUsers.Select(u => u.Token), ct);

        await state.SaveAsync(dir);
        await WrkRequests.WriteAsync(dir, state, ct);
        await Console.Out.WriteLineAsync($"[bench] setup done in {Stopwatch.GetElapsedTime(started).TotalSeconds:0}s");
        return 0;
    }

    /// <summary>The read chat gets its history from its members in turn, a few sends at a time.</summary>
    private static async Task SeedAsync(GatewayApi api, BenchUser[] pool, BenchChat chat, int count, CancellationToken cancellationToken) =>
        await Parallel.ForEachAsync(
            Enumerable.Range(0, count),
            new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                if (!await api.SendAsync(pool[chat.Members[i % chat.Members.Length]], chat.Id, $"history message {i}", null, ct))
                {
                    throw new HttpRequestException($"Seeding message {i} of the read chat failed.");
                }
            });
}
