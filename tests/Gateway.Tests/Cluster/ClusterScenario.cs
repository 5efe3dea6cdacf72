using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Cluster;

/// <summary>
/// Load for multi-process tests. Clients that behave like SafeGram's: they send with a clientMessageId and retry through another
/// gateway on failure, hold a socket each, reconnect when their gateway dies, and catch up by version
/// when they see a gap. Records what was acknowledged and what each client ended up seeing.
/// </summary>
internal sealed class ClusterScenario
{
    private readonly AppProcess[] _gateways;
    private readonly List<Client> _clients;
    private readonly Guid[] _chats;
    private readonly Dictionary<Guid, long> _versionsAtStart;
    private readonly TimeSpan _requestTimeout;
    private readonly ConcurrentBag<Ack> _acks = [];
    private readonly ConcurrentBag<HttpStatusCode> _failures = [];
    private int _attempted;
    private long _slowestTicks;

    private ClusterScenario(AppProcess[] gateways, List<Client> clients, Dictionary<Guid, long> versionsAtStart, TimeSpan requestTimeout)
    {
        _gateways = gateways;
        _clients = clients;
        _chats = [.. versionsAtStart.Keys];
        _versionsAtStart = versionsAtStart;
        _requestTimeout = requestTimeout;
    }

    public TimeSpan SlowestRequest => TimeSpan.FromTicks(Interlocked.Read(ref _slowestTicks));

    /// <summary>Statuses of the attempts that were answered but not with 200 (connection failures are not here).</summary>
    public IReadOnlyCollection<HttpStatusCode> FailedStatuses => _failures;

    /// <summary>How the sockets that clients lost were closed by the server (1001 for a graceful shutdown).</summary>
    public IEnumerable<System.Net.WebSockets.WebSocketCloseStatus?> LostSocketCloses =>
        _clients.SelectMany(c => c.Sockets.SkipLast(1)).Select(s => s.CloseStatus);

    public static async Task<ClusterScenario> PrepareAsync(AppProcess[] gateways, int users, int chats, TimeSpan requestTimeout)
    {
        using var api = ClusterProcesses.Api(gateways[0], requestTimeout);
        var registered = await Task.WhenAll(Enumerable.Range(0, users).Select(_ => api.RegisterAsync()));
        var chatIds = new List<Guid>();
        for (var i = 0; i < chats; i++)
        {
            chatIds.Add((await api.CreateGroupAsync(registered[i % users], [.. registered.Where((_, j) => j != i % users)])).Id());
        }

        var clients = new List<Client>();
        for (var i = 0; i < users; i++)
        {
            var home = gateways[i % gateways.Length];
            clients.Add(new Client(registered[i], home, await SocketClient.ConnectAsync(home.BaseAddress, registered[i].Token)));
        }

        var versionsAtStart = new Dictionary<Guid, long>();
        foreach (var chatId in chatIds)
        {
            await api.WaitUntilOnlineAsync(registered[0], chatId, [.. registered.Where(u => u != registered[0])]);
            var chat = await ChatApi.ExpectOkAsync(api.GetAsync($"/api/chats/{chatId}", registered[0].Token));
            versionsAtStart[chatId] = chat.GetProperty("version").GetInt64();
        }

        return new ClusterScenario(gateways, clients, versionsAtStart, requestTimeout);
    }

    /// <summary>Half the users send, one message at a time each, round-robin over the chats.</summary>
    public Task SendUntilAsync(TimeSpan duration, Stopwatch clock) =>
        Task.WhenAll(_clients.Where((_, i) => i % 2 == 0).Select(client => SendLoopAsync(client, clock, clock.Elapsed + duration)));

    /// <summary>Clients of dead gateways open a new socket on a live one.</summary>
    public async Task ReconnectOrphansAsync(AppProcess live)
    {
        await Task.Delay(500);
        foreach (var client in _clients.Where(c => c.Home.HasExited))
        {
            client.Home = live;
            client.Sockets.Add(await SocketClient.ConnectAsync(live.BaseAddress, client.User.Token));
        }
    }

    /// <summary>
    /// How long after a kill every chat served again: per chat, the first acknowledged send that started
    /// after the kill; the slowest chat decides.
    /// </summary>
    public TimeSpan RecoveryAfter(TimeSpan killedAt) =>
        _chats.Max(chatId => _acks
            .Where(a => a.ChatId == chatId && a.StartedAt >= killedAt)
            .Select(a => a.AckedAt - killedAt)
            .DefaultIfEmpty(TimeSpan.MaxValue)
            .Min());

    public async Task<Report> VerifyAsync(AppProcess live)
    {
        await Task.Delay(TimeSpan.FromSeconds(2));   // let the last pushes land
        using var api = ClusterProcesses.Api(live, _requestTimeout);
        var acked = _acks.ToList();
        var report = new Report { Attempted = _attempted, Acknowledged = acked.Count };

        var history = new Dictionary<Guid, List<JsonElement>>();
        foreach (var chatId in _chats)
        {
            history[chatId] = await ReadAllAsync(api, _clients[0].User, chatId);
            var seqs = history[chatId].Select(m => m.GetProperty("seq").GetInt64()).ToList();
            if (!seqs.SequenceEqual(Enumerable.Range(1, seqs.Count).Select(i => (long)i)))
            {
                report.SeqGaps.Add(chatId);
            }
        }

        var stored = history.Values.SelectMany(h => h).ToDictionary(m => m.Id(), m => m.GetProperty("seq").GetInt64());
        report.MissingFromHistory.AddRange(acked.Where(a => !stored.TryGetValue(a.MessageId, out var seq) || seq != a.Seq).Select(a => a.MessageId));

        foreach (var client in _clients)
        {
            var frames = client.Sockets.SelectMany(s => s.Drain()).Where(f => f.GetProperty("type").GetString() == "message")
                .Select(f => f.GetProperty("data")).ToList();
            var liveById = frames.GroupBy(m => m.Id()).ToDictionary(g => g.Key, g => g.First());
            report.DuplicateFrames += frames.Count - liveById.Count;

            var recovered = new HashSet<Guid>();
            foreach (var chatId in _chats)
            {
                var seen = liveById.Values.Where(m => m.GetProperty("chatId").GetGuid() == chatId)
                    .Select(m => m.GetProperty("version").GetInt64()).ToHashSet();
                // The client's catch-up: everything after the last version it saw without a gap since it loaded the chat.
                var contiguous = FirstGap(seen, _versionsAtStart[chatId]) - 1;
                foreach (var message in await ReadChangesAsync(api, client.User, chatId, contiguous))
                {
                    recovered.Add(message.Id());
                }
            }

            foreach (var ack in acked)
            {
                report.Expected++;
                if (liveById.ContainsKey(ack.MessageId))
                {
                    report.Live++;
                }
                else if (recovered.Contains(ack.MessageId))
                {
                    report.Recovered++;
                }
                else
                {
                    report.Lost++;
                }
            }

            foreach (var socket in client.Sockets)
            {
                await socket.DisposeAsync();
            }
        }

        return report;
    }

    private async Task SendLoopAsync(Client client, Stopwatch clock, TimeSpan until)
    {
        for (var i = 0; clock.Elapsed < until; i++)
        {
            var chatId = _chats[i % _chats.Length];
            var clientMessageId = $"{client.User.Id:N}-{i}";
            var startedAt = clock.Elapsed;
            Interlocked.Increment(ref _attempted);
            for (var attempt = 0; clock.Elapsed < until + TimeSpan.FromSeconds(30); attempt++)
            {
                var gateway = Pick(client, attempt);
                var requestStart = clock.Elapsed;
                try
                {
                    using var api = ClusterProcesses.Api(gateway, _requestTimeout);
                    var (status, body) = await api.PostAsync($"/api/chats/{chatId}/messages", new { text = $"m{i}", clientMessageId }, client.User.Token);
                    if (status == HttpStatusCode.OK)
                    {
                        _acks.Add(new Ack(chatId, body.Id(), body.GetProperty("seq").GetInt64(), startedAt, clock.Elapsed));
                        break;
                    }

                    _failures.Add(status);
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                }
                finally
                {
                    var took = (clock.Elapsed - requestStart).Ticks;
                    if (took > Interlocked.Read(ref _slowestTicks))
                    {
                        Interlocked.Exchange(ref _slowestTicks, took);
                    }
                }

                await Task.Delay(100);
            }
        }
    }

    /// <summary>The client's own gateway while it lives; otherwise, and on every other retry, another live one.</summary>
    private AppProcess Pick(Client client, int attempt)
    {
        var live = _gateways.Where(g => !g.HasExited).ToList();
        if (!client.Home.HasExited && attempt % 2 == 0)
        {
            return client.Home;
        }

        return live.Count == 0 ? client.Home : live[attempt % live.Count];
    }

    private static long FirstGap(HashSet<long> versions, long known)
    {
        var version = known + 1;
        while (versions.Contains(version))
        {
            version++;
        }

        return version;
    }

    private static async Task<List<JsonElement>> ReadAllAsync(ApiClient api, RegisteredUser reader, Guid chatId)
    {
        var all = new List<JsonElement>();
        long after = 0;
        while (true)
        {
            var page = (await api.HistoryAsync(reader, chatId, $"?afterSeq={after}&limit=200")).GetProperty("messages").EnumerateArray().ToList();
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            after = page[^1].GetProperty("seq").GetInt64();
        }
    }

    private static async Task<List<JsonElement>> ReadChangesAsync(ApiClient api, RegisteredUser reader, Guid chatId, long sinceVersion)
    {
        var all = new List<JsonElement>();
        while (true)
        {
            var page = (await api.HistoryAsync(reader, chatId, $"?sinceVersion={sinceVersion}&limit=200")).GetProperty("messages").EnumerateArray().ToList();
            if (page.Count == 0)
            {
                return all;
            }

            all.AddRange(page);
            sinceVersion = page.Max(m => m.GetProperty("version").GetInt64());
        }
    }

    private sealed class Client(RegisteredUser user, AppProcess home, SocketClient socket)
    {
        public RegisteredUser User { get; } = user;

        public AppProcess Home { get; set; } = home;

        public List<SocketClient> Sockets { get; } = [socket];
    }

    private sealed record Ack(Guid ChatId, Guid MessageId, long Seq, TimeSpan StartedAt, TimeSpan AckedAt);

    public sealed class Report
    {
        public int Attempted { get; init; }

        public int Acknowledged { get; init; }

        public int Expected { get; set; }

        public int Live { get; set; }

        public int Recovered { get; set; }

        public int Lost { get; set; }

        public int DuplicateFrames { get; set; }

        public List<Guid> SeqGaps { get; } = [];

        public List<Guid> MissingFromHistory { get; } = [];

        /// <summary>Enough was acknowledged to mean something, and every acknowledged message is stored, in order, and reached everyone.</summary>
        public void AssertNothingLost()
        {
            Assert.True(Acknowledged > 50, $"only {Acknowledged} sends were acknowledged");
            Assert.Equal(0, Lost);
            Assert.Empty(SeqGaps);
            Assert.Empty(MissingFromHistory);
        }
    }
}
