using System.Collections.Immutable;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Core;
using Orleans.Storage;
using SafeGram.Grains.Abstractions.Common;
using SafeGram.Grains.Abstractions.Realtime;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.Grains.Accounts;

namespace SafeGram.Grains.Users;

/// <summary>
/// One user's profile and chat list (grain state) and sockets (in memory). The state is read on first use, not on
/// activation: a chat activating asks every member's grain where its sockets are, and for the offline members (most of
/// a large group) that answer is "nowhere" without touching the database.
/// </summary>
internal sealed partial class UserGrain(
    IGrainContext context,
    [FromKeyedServices(StorageNames.Main)] IGrainStorage storage,
    IAccountStore accounts,
    TimeProvider time,
    SessionExpirySweep expirySweep) : Grain, IUserGrain, ISessionExpiryGrain
{
    private readonly StateStorageBridge<UserState> _state = new("user", context, storage);
    private readonly SessionSet _sessions = new(time);
    private long _sessionEpoch;
    private Guid _userId;
    private bool _stateRead;
    private bool _exists;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        Guid.TryParse(this.GetPrimaryKeyString(), out _userId);
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // The sessions live and die with this activation; gateways' renewals rebuild them in the next one.
        expirySweep.Forget(_userId);
        return Task.CompletedTask;
    }

    public async Task<UserProfile?> GetProfileAsync()
    {
        if (!await ExistsAsync())
        {
            return null;
        }

        var isOnline = await IsOnlineAsync();
        var user = _state.State;
        return new UserProfile(
            _userId, user.Username, user.Email, user.AvatarUrl, user.About, user.ProfileColor,
            user.ShowBio, user.ShowAvatar, user.LastSeen, isOnline);
    }

    public async Task<UserCard?> GetCardAsync() =>
        await ExistsAsync() ? new UserCard(_userId, _state.State.Username, _state.State.AvatarUrl, await IsOnlineAsync()) : null;

    public async Task<bool> HasAccountAsync() => await ExistsAsync();

    public async Task RecordSignInAsync()
    {
        if (!await ExistsAsync())
        {
            return;
        }

        _state.State.LastSeen = time.GetUtcNow();
        await _state.WriteStateAsync();
    }

    public async Task<ImmutableArray<Guid>> GetChatIdsAsync() =>
        await ExistsAsync() ? [.. _state.State.Chats] : [];

    public async Task JoinedChatAsync(Guid chatId)
    {
        if (await ExistsAsync() && _state.State.Chats.Add(chatId))
        {
            await WriteChatsAsync(undo: () => _state.State.Chats.Remove(chatId));
        }
    }

    public async Task LeftChatAsync(Guid chatId)
    {
        if (await ExistsAsync() && _state.State.Chats.Remove(chatId))
        {
            await WriteChatsAsync(undo: () => _state.State.Chats.Add(chatId));
        }
    }

    /// <summary>A list change that was not saved is taken back, so that the chat's retry finds it still to do.</summary>
    private async Task WriteChatsAsync(Action undo)
    {
        try
        {
            await _state.WriteStateAsync();
        }
        catch
        {
            undo();
            throw;
        }
    }

    private async ValueTask<bool> ExistsAsync()
    {
        if (_exists || _userId == Guid.Empty)
        {
            return _exists;
        }

        if (!_stateRead)
        {
            await _state.ReadStateAsync();
            _stateRead = true;
            _exists = _state.RecordExists;
            if (_exists)
            {
                return true;
            }
        }

        // The account row is the only thing registration writes, so a registration is never half
        // done: the profile is created here, from that row, the first time the user is used.
        if (await accounts.FindByIdAsync(_userId, CancellationToken.None) is not { } account)
        {
            return false;
        }

        _state.State = new UserState
        {
            Username = account.Username,
            Email = account.Email,
            ProfileColor = ProfileColors.For(_userId),
            CreatedAt = account.CreatedAt,
            LastSeen = account.CreatedAt,
        };
        await _state.WriteStateAsync();
        _exists = true;
        return true;
    }
}
