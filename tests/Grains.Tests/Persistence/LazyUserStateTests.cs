using SafeGram.Grains.Abstractions.Chats;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// A user grain reads its state when something needs the profile or the chat list, not when a chat that is activating
/// asks where the user's sockets are: a large group's first event after a restart costs no read per member.
/// </summary>
public sealed class LazyUserStateTests
{
    private const string ServiceId = "lazy-user-state-test";

    [Fact]
    public async Task ChatActivation_ReadsNoMembersState_WhichLoadsWhenFirstNeeded()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        Guid chatId;
        Guid[] users;
        await using (var first = await PostgresClusters.StartAsync(database, silos: 1, ServiceId))
        {
            var (chat, members) = await ChatBuilder.CreateGroupAsync(first.Client, 30);
            (chatId, users) = (chat.GetPrimaryKey(), members);
        }

        await CountStateReadsAsync(database);
        await using var second = await PostgresClusters.StartAsync(database, silos: 1, ServiceId);
        var message = await second.Client.GetGrain<IChatGrain>(chatId).SendAsync(users[0], "after restart");

        Assert.Equal(1, message.Seq);
        Assert.Equal(1, await StateReadsAsync(database, "chat"));
        Assert.Equal(0, await StateReadsAsync(database, "user"));

        var member = second.Client.GetUser(users[7]);
        Assert.Equal([chatId], (await member.GetChatIdsAsync()).ToArray());
        Assert.NotNull(await member.GetProfileAsync());
        Assert.Equal(1, await StateReadsAsync(database, "user"));
    }

    /// <summary>Makes the storage's read statement count its executions per state name.</summary>
    private static Task CountStateReadsAsync(string database) => TestInfrastructure.ExecuteAsync(database, """
        CREATE TABLE state_reads (grain_type text NOT NULL);
        CREATE FUNCTION count_state_read(state_name text) RETURNS boolean LANGUAGE plpgsql AS $$
        BEGIN
            INSERT INTO state_reads VALUES (state_name);
            RETURN true;
        END $$;
        UPDATE OrleansQuery SET QueryText = QueryText || ' AND count_state_read(@GrainTypeString)'
            WHERE QueryKey = 'ReadFromStorageKey';
        """);

    private static Task<long> StateReadsAsync(string database, string stateName) =>
        TestInfrastructure.QueryScalarAsync<long>(database, $"SELECT count(*) FROM state_reads WHERE grain_type = '{stateName}'");
}
