using SafeGram.Grains.Tests.Chats;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>
/// A silo that stops closes its PostgreSQL connections, grain state's included, instead of leaving them to its process's
/// exit: a process that stops and starts silos (embedded hosting, the test suites) otherwise piles up idle backends.
/// </summary>
public sealed class SiloShutdownTests
{
    [Fact]
    public async Task StoppedSilo_LeavesNoConnectionOpen()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var cluster = await PostgresClusters.StartAsync(database, silos: 1, "silo-shutdown-test");
        var (chat, users) = await ChatBuilder.CreateGroupAsync(cluster.Client, 2);
        await chat.SendAsync(users[1], "stored in the message log; the chat's and users' state in grain state");
        var whileRunning = await TestInfrastructure.ConnectionsToAsync(database);

        await cluster.DisposeAsync();
        var afterStop = await TestInfrastructure.ConnectionsLeftAsync(database);

        Assert.NotEmpty(whileRunning);
        Assert.Empty(afterStop);
    }
}
