using SafeGram.Grains.Abstractions.Accounts;

namespace SafeGram.Grains.Accounts;

/// <summary>Durable account rows. Implementations guarantee case-insensitive uniqueness atomically.</summary>
public interface IAccountStore
{
    Task<RegisterStatus> CreateAsync(AccountRecord account, CancellationToken cancellationToken);

    Task<AccountRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken);

    Task<AccountRecord?> FindByIdAsync(Guid userId, CancellationToken cancellationToken);

    /// <summary>Ranked: exact, prefix, substring, then username. Wildcards in <paramref name="query"/> are literal.</summary>
    Task<IReadOnlyList<AccountRecord>> SearchAsync(string query, int limit, CancellationToken cancellationToken);
}
