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
    private readonly string _decoyHash;

    public PasswordHasher(IOptions<PasswordSettings> settings)
    {
        _cost = settings.Value.BcryptCost;
        // Unknown usernames are checked against this well-formed hash of the same cost, so they take as long
        // as a wrong password — from the very first attempt (no hash is computed to build it). No password matches it.
        _decoyHash = $"$2a${_cost:00}$" + new string('a', 22) + new string('b', 31);
    }

    public Task<string> HashAsync(string password, CancellationToken cancellationToken) =>
        RunLimitedAsync(() => BCrypt.Net.BCrypt.HashPassword(password, _cost), cancellationToken);

    /// <summary>Verifies against <paramref name="hash"/>, or against a decoy when there is no account, in the same time.</summary>
    public Task<bool> VerifyAsync(string password, string? hash, CancellationToken cancellationToken) =>
        RunLimitedAsync(() =>
        {
            var matches = SafeVerify(password, hash ?? _decoyHash);
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
