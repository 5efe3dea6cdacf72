using Npgsql;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Tests.Users;

/// <summary>The profile is born from the account row and persisted through the ADO.NET provider.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class UserGrainTests(PostgresClusterFixture fixture)
{
    [Fact]
    public async Task GetProfileAsync_UnknownUser_IsNull()
    {
        var user = fixture.Client.GetUser(Guid.NewGuid());

        Assert.Null(await user.GetProfileAsync());
        Assert.Null(await user.GetCardAsync());
        Assert.False(await user.HasAccountAsync());
    }

    [Fact]
    public async Task GetProfileAsync_RegisteredUser_ComesFromTheAccount()
    {
        var name = "prof" + Guid.NewGuid().ToString("N")[..8];
        var created = await fixture.Client.GetGrain<IAccountDirectoryGrain>(0)
            .RegisterAsync(new NewAccount(name, "p@example.com", "hash"));

        var profile = await fixture.Client.GetUser(created.UserId).GetProfileAsync();

        Assert.NotNull(profile);
        Assert.True(await fixture.Client.GetUser(created.UserId).HasAccountAsync());
        Assert.Equal(created.UserId, profile.Id);
        Assert.Equal(name, profile.Username);
        Assert.Equal("p@example.com", profile.Email);
        Assert.StartsWith("#", profile.ProfileColor, StringComparison.Ordinal);
        Assert.True(profile.ShowBio);
    }

    [Fact]
    public async Task RecordSignInAsync_SurvivesDeactivation()
    {
        var created = await fixture.Client.GetGrain<IAccountDirectoryGrain>(0)
            .RegisterAsync(new NewAccount("sign" + Guid.NewGuid().ToString("N")[..8], null, "hash"));
        var user = fixture.Client.GetUser(created.UserId);
        var before = (await user.GetProfileAsync())!.LastSeen;

        await Task.Delay(20);
        await user.RecordSignInAsync();
        await fixture.Cluster.DeactivateAsync(((GrainReference)user).GrainId);
        var after = (await fixture.Client.GetUser(created.UserId).GetProfileAsync())!.LastSeen;

        Assert.True(after > before);
        Assert.Equal(2, await StoredVersionAsync(created.UserId));
    }

    /// <summary>The ADO.NET row's version: 1 when the profile was created, +1 per write.</summary>
    private async Task<int> StoredVersionAsync(Guid userId)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT version FROM orleans_grain_state WHERE grain_type = 'user' AND grain_id_ext = $1", connection);
        command.Parameters.Add(new() { Value = userId.ToKey() });
        return (int)(await command.ExecuteScalarAsync())!;
    }
}
