using SafeGram.Grains.Abstractions.Accounts;

namespace SafeGram.Grains.Accounts;

/// <summary>The embedded (single-process, nothing persisted) mode's directory; one lock keeps it atomic.</summary>
internal sealed class InMemoryAccountStore : IAccountStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<Guid, AccountRecord> _byId = [];
    private readonly Dictionary<string, Guid> _byUsername = new(StringComparer.Ordinal);
    private readonly HashSet<string> _emails = new(StringComparer.Ordinal);

    public Task<RegisterStatus> CreateAsync(AccountRecord account, CancellationToken cancellationToken)
    {
        var usernameKey = Usernames.Normalize(account.Username);
        var emailKey = account.Email?.Trim().ToLowerInvariant();
        lock (_gate)
        {
            if (_byUsername.ContainsKey(usernameKey))
            {
                return Task.FromResult(RegisterStatus.UsernameTaken);
            }

            if (emailKey is not null && !_emails.Add(emailKey))
            {
                return Task.FromResult(RegisterStatus.EmailTaken);
            }

            _byUsername.Add(usernameKey, account.UserId);
            _byId.Add(account.UserId, account);
            return Task.FromResult(RegisterStatus.Created);
        }
    }

    public Task<AccountRecord?> FindByUsernameAsync(string username, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_byUsername.TryGetValue(Usernames.Normalize(username), out var id) ? _byId[id] : null);
        }
    }

    public Task<AccountRecord?> FindByIdAsync(Guid userId, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return Task.FromResult(_byId.GetValueOrDefault(userId));
        }
    }

    public Task<IReadOnlyList<AccountRecord>> SearchAsync(string query, int limit, CancellationToken cancellationToken)
    {
        var key = Usernames.Normalize(query);
        lock (_gate)
        {
            IReadOnlyList<AccountRecord> hits = [.. _byUsername
                .Where(pair => pair.Key.Contains(key, StringComparison.Ordinal))
                .OrderBy(pair => pair.Key == key ? 0 : pair.Key.StartsWith(key, StringComparison.Ordinal) ? 1 : 2)
                .ThenBy(pair => pair.Key, StringComparer.Ordinal)
                .Take(limit)
                .Select(pair => _byId[pair.Value])];
            return Task.FromResult(hits);
        }
    }
}
