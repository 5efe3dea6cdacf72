using System.Collections.Immutable;
using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Chats;

namespace SafeGram.Grains.Tests.Chats;

public sealed class PackedMessageRowsTests
{
    private static readonly Guid ChatId = Guid.NewGuid();
    private static readonly Guid Alice = Guid.NewGuid();
    private static readonly Guid Bob = Guid.NewGuid();
    private static readonly ImmutableArray<MessageReaction> Empty = [];

    [Fact]
    public void A_row_reads_back_equal_to_what_was_added()
    {
        var reaction = new MessageReaction(Bob, "👍", DateTimeOffset.UnixEpoch.AddDays(3));
        var original = Message(7, Alice, "héllo, 世界", clientId: "c-7") with
        {
            EditedAt = DateTimeOffset.UnixEpoch.AddDays(2),
            ReplyTo = Guid.NewGuid(),
            Reactions = [reaction],
        };
        var rows = new PackedMessageRows(4);

        rows.Add(original);

        var read = rows[0];
        Assert.Equal(original with { Reactions = default }, read with { Reactions = default });
        Assert.Equal(reaction, Assert.Single(read.Reactions));
        Assert.Equal(7, rows.SeqAt(0));
        Assert.Equal(original.Id, rows.IdAt(0));
        Assert.Equal(Alice, rows.SenderAt(0));
        Assert.False(rows.IsDeletedAt(0));
    }

    [Theory]
    [InlineData(5, 23)]
    [InlineData(40, 123)]
    public void At_capacity_the_oldest_rows_leave_and_order_survives_the_ring_wrapping(int capacity, int messages)
    {
        var rows = new PackedMessageRows(capacity);

        for (var seq = 1; seq <= messages; seq++)
        {
            rows.Add(Message(seq, seq % 2 == 0 ? Alice : Bob, $"text {seq} " + new string('x', seq % 50)));
        }

        var kept = Enumerable.Range(messages - capacity + 1, capacity).ToList();
        Assert.Equal(capacity, rows.Count);
        Assert.Equal(kept.Select(seq => (long)seq), Enumerable.Range(0, rows.Count).Select(rows.SeqAt));
        Assert.Equal(kept.Select(seq => $"text {seq} " + new string('x', seq % 50)), Enumerable.Range(0, rows.Count).Select(i => rows[i].Text));
        Assert.Equal(kept.Select(seq => seq % 2 == 0 ? Alice : Bob), Enumerable.Range(0, rows.Count).Select(rows.SenderAt));
    }

    [Fact]
    public void Replacing_rows_many_times_keeps_every_other_row_intact()
    {
        var rows = new PackedMessageRows(3);
        rows.Add(Message(1, Alice, "first", clientId: "a"));
        rows.Add(Message(2, Bob, "second"));
        rows.Add(Message(3, Alice, "third", clientId: "c"));

        for (var edit = 0; edit < 500; edit++)
        {
            rows.Set(1, Message(2, Bob, $"second, edit {edit} " + new string('e', edit % 40)));
        }

        var deleted = Message(3, Alice, "", clientId: "c") with { DeletedAt = DateTimeOffset.UnixEpoch.AddDays(9) };
        rows.Set(2, deleted);

        Assert.Equal(Message(1, Alice, "first", clientId: "a"), rows[0] with { Reactions = Empty });
        Assert.Equal("second, edit 499 " + new string('e', 499 % 40), rows[1].Text);
        Assert.Null(rows[1].ClientMessageId);
        Assert.True(rows.IsDeletedAt(2));
        Assert.Equal(deleted, rows[2] with { Reactions = Empty });
    }

    [Fact]
    public void A_client_id_matches_only_its_own_sender_and_exact_text()
    {
        var rows = new PackedMessageRows(8);
        rows.Add(Message(1, Alice, "one", clientId: "retry-1"));
        rows.Add(Message(2, Bob, "two"));
        rows.Add(Message(3, Bob, "three", clientId: ""));

        Assert.True(rows.HasClientId(0, Alice, "retry-1"));
        Assert.False(rows.HasClientId(0, Bob, "retry-1"));
        Assert.False(rows.HasClientId(0, Alice, "retry-"));
        Assert.False(rows.HasClientId(1, Bob, ""));
        Assert.True(rows.HasClientId(2, Bob, ""));
        Assert.Equal("", rows[2].ClientMessageId);
    }

    [Fact]
    public void A_window_holds_at_least_one_row() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new PackedMessageRows(0));

    [Fact]
    public void Cleared_rows_start_over()
    {
        var rows = new PackedMessageRows(2);
        rows.Add(Message(1, Alice, "old"));
        rows.Add(Message(2, Alice, "older"));

        rows.Clear();
        rows.Add(Message(10, Bob, "new"));

        Assert.Equal(1, rows.Count);
        Assert.Equal(Message(10, Bob, "new"), rows[0] with { Reactions = Empty });
    }

    private static ChatMessage Message(long seq, Guid sender, string text, string? clientId = null) => new(
        new Guid((int)seq, 0, 0, new byte[8]), ChatId, seq, sender, sender == Alice ? "alice" : "bob", text,
        DateTimeOffset.UnixEpoch.AddMinutes(seq), EditedAt: null, DeletedAt: null, ReplyTo: null, clientId, Version: seq * 10,
        Reactions: Empty);
}
