using SafeGram.Grains.Abstractions.Accounts;

namespace SafeGram.Grains.Tests.Accounts;

/// <summary>Registration atomicity and ranked, wildcard-safe search on the PostgreSQL account directory.</summary>
[Collection(PostgresClusterCollection.Name)]
public sealed class AccountDirectoryGrainTests(PostgresClusterFixture fixture)
{
    private IAccountDirectoryGrain Directory => fixture.Client.GetGrain<IAccountDirectoryGrain>(0);

    private static string Unique(string prefix) => prefix + Guid.NewGuid().ToString("N")[..8];

    [Fact]
    public async Task RegisterAsync_SameUsernameInOtherCase_IsTaken()
    {
        var name = Unique("Mia");
        var first = await Directory.RegisterAsync(new NewAccount(name, null, "hash"));
        var second = await Directory.RegisterAsync(new NewAccount(name.ToUpperInvariant(), null, "hash"));

        Assert.Equal(RegisterStatus.Created, first.Status);
        Assert.Equal(RegisterStatus.UsernameTaken, second.Status);
    }

    [Fact]
    public async Task RegisterAsync_EmailAlreadyUsed_IsEmailTaken()
    {
        var email = Unique("x") + "@example.com";
        await Directory.RegisterAsync(new NewAccount(Unique("a"), email, "hash"));
        var second = await Directory.RegisterAsync(new NewAccount(Unique("b"), email.ToUpperInvariant(), "hash"));

        Assert.Equal(RegisterStatus.EmailTaken, second.Status);
    }

    [Fact]
    public async Task RegisterAsync_ManyRacingForOneName_ExactlyOneWins()
    {
        var name = Unique("race");
        var results = await Task.WhenAll(Enumerable.Range(0, 24).Select(_ =>
            fixture.Client.GetGrain<IAccountDirectoryGrain>(0).RegisterAsync(new NewAccount(name, null, "hash"))));

        Assert.Single(results, r => r.Status == RegisterStatus.Created);
        Assert.Equal(23, results.Count(r => r.Status == RegisterStatus.UsernameTaken));
    }

    [Fact]
    public async Task FindCredentialsAsync_AnyCase_FindsTheAccount()
    {
        var name = Unique("Cred");
        var created = await Directory.RegisterAsync(new NewAccount(name, null, "the-hash"));

        var found = await Directory.FindCredentialsAsync("  " + name.ToLowerInvariant() + " ");

        Assert.NotNull(found);
        Assert.Equal(created.UserId, found.UserId);
        Assert.Equal(name, found.Username);
        Assert.Equal("the-hash", found.PasswordHash);
        Assert.Null(await Directory.FindCredentialsAsync(Unique("nobody")));
    }

    [Fact]
    public async Task SearchAsync_RanksExactThenPrefixThenSubstring()
    {
        var stem = Unique("zq");
        foreach (var name in new[] { "x" + stem, stem + "b", stem, stem + "a" })
        {
            await Directory.RegisterAsync(new NewAccount(name, null, "hash"));
        }

        var hits = await Directory.SearchAsync(stem.ToUpperInvariant(), 20);

        Assert.Equal([stem, stem + "a", stem + "b", "x" + stem], hits.Select(h => h.Username));
    }

    [Fact]
    public async Task SearchAsync_WildcardsAreLiteral()
    {
        var stem = Unique("wc");
        await Directory.RegisterAsync(new NewAccount(stem + "_x", null, "hash"));
        await Directory.RegisterAsync(new NewAccount(stem + "ax", null, "hash"));

        var underscore = await Directory.SearchAsync(stem + "_", 20);
        var percent = await Directory.SearchAsync(stem + "%", 20);

        Assert.Equal([stem + "_x"], underscore.Select(h => h.Username));
        Assert.Empty(percent);
    }

    [Fact]
    public async Task SearchAsync_RespectsTheLimit()
    {
        var stem = Unique("lim");
        for (var i = 0; i < 5; i++)
        {
            await Directory.RegisterAsync(new NewAccount($"{stem}{i}", null, "hash"));
        }

        Assert.Equal(3, (await Directory.SearchAsync(stem, 3)).Length);
    }
}
