using Microsoft.Extensions.Options;

namespace SafeGram.Gateway.Auth;

/// <summary>
/// bcrypt hashing on the gateway, which scales out freely, rather than on silos, whose threads serve grains.
/// Concurrent hashes are capped at the core count so a login burst cannot starve the thread pool.
/// </summary>
internal sealed class PasswordHasher : IDisposable
{
    private readonly int _cost;
    private readonly SemaphoreSlim _slots = new(Environment.ProcessorCount);
    private readonly Lazy<string> _decoyHash;

    public PasswordHasher(IOptions<PasswordSettings> settings)
    {
        _cost = settings.Value.BcryptCost;
        // Unknown usernames are checked against this hash so they cost as much as a wrong password.
        _decoyHash = new(() => BCrypt.Net.BCrypt.HashPassword(Guid.NewGuid().ToString(), _cost));
    }

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        RunLimitedAsync(() => BCrypt.Net.BCrypt.HashPassword(password, _cost), cancellationToken);

    /// <summary>Verifies against <paramref name="hash"/>, or against a decoy when there is no account, in the same time.</summary>
    public Task<bool> VerifyAsync(string password, string? hash, CancellationToken cancellationToken) =>
        RunLimitedAsync(() =>
        {
            var matches = SafeVerify(password, hash ?? _decoyHash.Value);
            return matches && hash is not null;
        }, cancellationToken);

    public void Dispose() => _slots.Dispose();

    private static bool SafeVerify(string password, string hash)
    {
        try
        {
            return BCrypt.Net.BCrypt.Verify(password, hash);
        }
        catch (BCrypt.Net.SaltParseException)
        {
            return false;
        }
    }

    private async Task<T> RunLimitedAsync<T>(Func<T> work, CancellationToken cancellationToken)
    {
        await _slots.WaitAsync(cancellationToken);
        try
        {
            return work();
        }
        finally
        {
            _slots.Release();
        }
    }
}
