using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.TestingHost;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Persistence;
using SafeGram.TestSupport;

namespace SafeGram.Grains.Tests.Persistence;

/// <summary>The project's own ADO.NET schema: restarts, migrations, and optimistic concurrency on real PostgreSQL.</summary>
public sealed class PostgresStorageTests
{
    [Fact]
    public async Task Profile_SurvivesAFullClusterRestart()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        Guid userId;
        DateTimeOffset lastSeen;
        await using (var first = await StartClusterAsync(database))
        {
            var created = await first.Client.GetGrain<IAccountDirectoryGrain>(0)
                .RegisterAsync(new NewAccount("restart" + Guid.NewGuid().ToString("N")[..6], null, "hash"));
            userId = created.UserId;
            await first.Client.GetUser(userId).RecordSignInAsync();
            lastSeen = (await first.Client.GetUser(userId).GetProfileAsync())!.LastSeen;
        }

        await using var second = await StartClusterAsync(database);
        var profile = await second.Client.GetUser(userId).GetProfileAsync();

        Assert.NotNull(profile);
        Assert.Equal(lastSeen, profile.LastSeen);
    }

    [Fact]
    public async Task MigrateAsync_RunTwiceAndConcurrently_IsIdempotent()
    {
        var database = await TestInfrastructure.CreateDatabaseAsync();
        var migrator = new SchemaMigrator(NullLogger<SchemaMigrator>.Instance);

        await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => migrator.MigrateAsync(database, CancellationToken.None)));
        await migrator.MigrateAsync(database, CancellationToken.None);

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM orleansquery", connection);
        Assert.Equal(4L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task MigrateAsync_MissingDatabase_IsCreated()
    {
        var missing = new NpgsqlConnectionStringBuilder(TestInfrastructure.PostgresAdmin)
        {
            Database = "sg_new_" + Guid.NewGuid().ToString("N")[..10],
        }.ConnectionString;

        await new SchemaMigrator(NullLogger<SchemaMigrator>.Instance).MigrateAsync(missing, CancellationToken.None);

        await using var connection = new NpgsqlConnection(missing);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM accounts", connection);
        Assert.Equal(0L, await command.ExecuteScalarAsync());
    }

    private static Task<InProcessTestCluster> StartClusterAsync(string database) =>
        PostgresClusters.StartAsync(database, silos: 1, serviceId: "restart-test");
}
