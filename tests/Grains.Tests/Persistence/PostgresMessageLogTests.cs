using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Diagnostics;
using SafeGram.Grains.Chats;
using SafeGram.Grains.Persistence;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// The message log on real PostgreSQL: group-committed sends (every acknowledged row stored whole, retries and bad rows
/// kept apart, each commit's timing exported) and pages read as seq ranges across runs of tombstones.
/// </summary>
public sealed class PostgresMessageLogTests : IAsyncLifetime
{
    private NpgsqlDataSource _dataSource = null!;
    private PostgresMessageLog _log = null!;

    public async Task InitializeAsync()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(database, CancellationToken.None);
        _dataSource = NpgsqlDataSource.Create(database);
        _log = new PostgresMessageLog(_dataSource, new PostgresReconnection(_dataSource, _dataSource, TimeProvider.System, NullLogger<PostgresReconnection>.Instance));
    }

    public async Task DisposeAsync()
    {
        await _log.DisposeAsync();
        await _dataSource.DisposeAsync();
    }

    [Fact]
    public async Task InsertAsync_ManyAtOnce_StoresEveryFieldOfEveryRow()
    {
        var chats = Enumerable.Range(0, 10).Select(_ => Guid.NewGuid()).ToArray();
        var written = Enumerable.Range(0, 400).Select(i => Message(chats[i % chats.Length], seq: i / chats.Length + 1, i)).ToArray();

        var inserted = await Task.WhenAll(written.Select(m => _log.InsertAsync(m, CancellationToken.None)));

        Assert.All(inserted, Assert.True);
        foreach (var chat in chats)
        {
            var expected = written.Where(m => m.ChatId == chat).OrderBy(m => m.Seq).ToArray();
            var stored = await _log.GetAfterAsync(chat, 0, 100, CancellationToken.None);
            Assert.Equal(expected, stored, MessageFields.Instance);
        }
    }

    [Fact]
    public async Task InsertAsync_RecordsEachRowsWaitAndCommitAndEachBatchsSize()
    {
        var recorded = new ConcurrentDictionary<string, ConcurrentBag<double>>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == SafeGramMetrics.MeterName && instrument.Name.StartsWith("safegram.message.insert.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => recorded.GetOrAdd(instrument.Name, _ => []).Add(value));
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => recorded.GetOrAdd(instrument.Name, _ => []).Add(value));
        listener.Start();
        var chat = Guid.NewGuid();

        await InsertAllAsync(Enumerable.Range(1, 200).Select(seq => Message(chat, seq, seq)));

        // Other tests insert at the same time through the same static instruments: at least this test's rows.
        Assert.True(recorded["safegram.message.insert.queue.duration"].Count >= 200);
        Assert.True(recorded["safegram.message.insert.commit.duration"].Count >= 200);
        Assert.All(recorded["safegram.message.insert.commit.duration"], ms => Assert.True(ms > 0));
        Assert.True(recorded["safegram.message.insert.batch.size"].Sum() >= 200);
        Assert.Contains(recorded["safegram.message.insert.batch.size"], rows => rows > 1);
    }

    [Fact]
    public async Task InsertAsync_RetriedClientMessageId_IsSkippedAndTheOriginalKept()
    {
        var chat = Guid.NewGuid();
        var original = Message(chat, seq: 1, 1) with { ClientMessageId = "retry" };
        Assert.True(await _log.InsertAsync(original, CancellationToken.None));

        // A retry carries the seq the chat would give its next message; that seq goes to another message instead.
        var retries = Enumerable.Range(0, 5).Select(_ => original with { Id = Guid.NewGuid(), Seq = 2, Text = "again" }).ToArray();
        var others = Enumerable.Range(2, 20).Select(seq => Message(chat, seq, seq)).ToArray();
        var results = await Task.WhenAll(retries.Concat(others).Select(m => _log.InsertAsync(m, CancellationToken.None)));

        Assert.All(results[..retries.Length], Assert.False);
        Assert.All(results[retries.Length..], Assert.True);
        Assert.Equal(original.Id, (await _log.FindByClientIdAsync(chat, original.SenderId, "retry", CancellationToken.None))!.Id);
        Assert.Equal(21, (await _log.GetAfterAsync(chat, 0, 100, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task InsertAsync_RowWithATakenSeq_FailsAlone()
    {
        var chat = Guid.NewGuid();
        Assert.True(await _log.InsertAsync(Message(chat, seq: 1, 0), CancellationToken.None));

        var stale = _log.InsertAsync(Message(chat, seq: 1, 1), CancellationToken.None);
        var neighbours = Enumerable.Range(2, 50).Select(seq => _log.InsertAsync(Message(chat, seq, seq), CancellationToken.None)).ToArray();

        var failure = await Assert.ThrowsAsync<PostgresException>(() => stale);
        Assert.Equal(PostgresErrorCodes.UniqueViolation, failure.SqlState);
        Assert.All(await Task.WhenAll(neighbours), Assert.True);
        Assert.Equal(Enumerable.Range(1, 51).Select(i => (long)i),
            (await _log.GetAfterAsync(chat, 0, 100, CancellationToken.None)).Select(m => m.Seq));
    }

    [Fact]
    public async Task Pages_WalkAcrossRunsOfTombstonesLongerThanAPage()
    {
        var chat = Guid.NewGuid();
        await InsertAllAsync(Enumerable.Range(1, 300).Select(seq => Message(chat, seq, seq)));
        await DeleteRangeAsync(chat, 100, 250);

        Assert.Equal(Seqs(251, 300), Seqs(await _log.GetBeforeAsync(chat, 301, 50, CancellationToken.None)));
        Assert.Equal(Seqs(50, 99), Seqs(await _log.GetBeforeAsync(chat, 251, 50, CancellationToken.None)));
        Assert.Equal(Seqs(1, 99), Seqs(await _log.GetBeforeAsync(chat, 200, 200, CancellationToken.None)));
        Assert.Empty(await _log.GetBeforeAsync(chat, 1, 50, CancellationToken.None));
        Assert.Equal(Seqs(251, 260), Seqs(await _log.GetAfterAsync(chat, 99, 10, CancellationToken.None)));
        Assert.Equal(Seqs(1, 99).Concat(Seqs(251, 300)), Seqs(await _log.GetAfterAsync(chat, 0, 200, CancellationToken.None)));
        Assert.Empty(await _log.GetAfterAsync(chat, 300, 10, CancellationToken.None));
    }

    [Fact]
    public async Task GetRowsAsync_ReturnsTheRangeWithTombstones()
    {
        var chat = Guid.NewGuid();
        await InsertAllAsync(Enumerable.Range(1, 20).Select(seq => Message(chat, seq, seq)));
        await DeleteRangeAsync(chat, 18, 18);

        var rows = await _log.GetRowsAsync(chat, 15, 40, CancellationToken.None);

        Assert.Equal(Seqs(15, 20), Seqs(rows));
        Assert.True(rows.Single(m => m.Seq == 18).IsDeleted);
        Assert.Equal(Seqs(1, 3), Seqs(await _log.GetRowsAsync(chat, -5, 3, CancellationToken.None)));
        Assert.Empty(await _log.GetRowsAsync(Guid.NewGuid(), -255, 0, CancellationToken.None));
    }

    [Fact]
    public async Task CountBySenderAsync_CountsUndeletedRowsAboveTheSeq_BySender()
    {
        var chat = Guid.NewGuid();
        var (alice, bob) = (Guid.NewGuid(), Guid.NewGuid());
        await InsertAllAsync(Enumerable.Range(1, 10).Select(seq => Message(chat, seq, seq) with { SenderId = seq % 3 == 0 ? bob : alice }));
        await DeleteRangeAsync(chat, 9, 10);

        var counts = await _log.CountBySenderAsync(chat, 2, CancellationToken.None);

        // Seqs 3-8 remain above 2: bob sent 3 and 6, alice 4, 5, 7 and 8.
        Assert.Equal([(alice, 4), (bob, 2)], counts.Select(c => (c.Key, c.Value)).OrderBy(c => c.Value).Reverse());
        Assert.Empty(await _log.CountBySenderAsync(chat, 10, CancellationToken.None));
    }

    private async Task InsertAllAsync(IEnumerable<ChatMessage> messages) =>
        Assert.All(await Task.WhenAll(messages.Select(m => _log.InsertAsync(m, CancellationToken.None))), Assert.True);

    private async Task DeleteRangeAsync(Guid chatId, long fromSeq, long toSeq)
    {
        foreach (var row in await _log.GetRowsAsync(chatId, fromSeq, toSeq, CancellationToken.None))
        {
            await _log.UpdateAsync(row with { DeletedAt = row.CreatedAt.AddMinutes(1) }, CancellationToken.None);
        }
    }

    private static long[] Seqs(int from, int to) => [.. Enumerable.Range(from, to - from + 1).Select(seq => (long)seq)];

    private static long[] Seqs(IEnumerable<ChatMessage> messages) => [.. messages.Select(m => m.Seq)];

    private static ChatMessage Message(Guid chatId, long seq, int n)
    {
        var createdAt = new DateTimeOffset(2026, 12, 1, 12, 0, 0, TimeSpan.FromHours(2)).AddMilliseconds(n);
        return new ChatMessage(
            Guid.NewGuid(), chatId, seq, Guid.NewGuid(), $"user{n}", $"text {n} ✓",
            createdAt,
            EditedAt: n % 3 == 0 ? createdAt.AddSeconds(1) : null,
            DeletedAt: null,
            ReplyTo: n % 2 == 0 ? Guid.NewGuid() : null,
            ClientMessageId: n % 4 == 0 ? null : $"c{n}",
            Version: seq,
            Reactions: []);
    }

    /// <summary>Compares the stored columns (timestamps as instants: PostgreSQL keeps them in UTC).</summary>
    private sealed class MessageFields : IEqualityComparer<ChatMessage>
    {
        public static readonly MessageFields Instance = new();

        public bool Equals(ChatMessage? x, ChatMessage? y) =>
            x is not null && y is not null
            && (x.Id, x.ChatId, x.Seq, x.SenderId, x.SenderUsername, x.Text, x.ReplyTo, x.ClientMessageId, x.Version)
                == (y.Id, y.ChatId, y.Seq, y.SenderId, y.SenderUsername, y.Text, y.ReplyTo, y.ClientMessageId, y.Version)
            && x.CreatedAt.UtcDateTime == y.CreatedAt.UtcDateTime
            && x.EditedAt?.UtcDateTime == y.EditedAt?.UtcDateTime
            && x.DeletedAt is null && y.DeletedAt is null;

        public int GetHashCode(ChatMessage message) => message.Id.GetHashCode();
    }
}
