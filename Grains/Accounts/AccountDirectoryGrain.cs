using System.Collections.Immutable;
using Orleans.Concurrency;
using SafeGram.Grains.Abstractions.Accounts;
using SafeGram.Grains.Abstractions.Users;

namespace SafeGram.Grains.Accounts;

[StatelessWorker]
internal sealed class AccountDirectoryGrain(IAccountStore store, TimeProvider time) : Grain, IAccountDirectoryGrain
{
    public async Task<RegisterResult> RegisterAsync(NewAccount account)
    {
        var userId = Guid.NewGuid();
        var record = new AccountRecord(userId, account.Username.Trim(), account.Email?.Trim(), account.PasswordHash, time.GetUtcNow());
        return await store.CreateAsync(record, CancellationToken.None) switch
        {
            RegisterStatus.Created => new RegisterResult(RegisterStatus.Created, userId),
            RegisterStatus.EmailTaken => RegisterResult.EmailTaken,
            _ => RegisterResult.UsernameTaken,
        };
    }

    public async Task<AccountCredentials?> FindCredentialsAsync(string username) =>
        await store.FindByUsernameAsync(username, CancellationToken.None) is { } account
            ? new AccountCredentials(account.UserId, account.Username, account.PasswordHash)
            : null;

    public async Task<ImmutableArray<UserCard>> SearchAsync(string query, int limit)
    {
        var accounts = await store.SearchAsync(query, limit, CancellationToken.None);
        // One parallel round of card reads, not one call after another.
        var cards = await Task.WhenAll(accounts.Select(a => GrainFactory.GetUser(a.UserId).GetCardAsync()));
        return [.. cards.OfType<UserCard>()];
    }
}
