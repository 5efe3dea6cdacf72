using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>
/// A token's account is checked the first time a gateway sees the token. When the cluster cannot answer, the request
/// is a 503 to retry, never a 401 that would sign the user out.
/// </summary>
public sealed class AccountCheckTests : IAsyncLifetime
{
    private readonly FailingCardCalls _cards = new();
    private readonly GatewayApplication _gateway;
    private readonly ApiClient _api;

    public AccountCheckTests()
    {
        _gateway = EmbeddedGatewayFixture.CreateGateway(services => services.AddSingleton<IOutgoingGrainCallFilter>(_cards));
        _api = _gateway.CreateApiClient();
    }

    [Fact]
    public async Task AccountCheckThatCannotBeMade_Is503_ThenTheTokenWorks()
    {
        var alice = await _api.RegisterAsync();
        _cards.Failing = alice.Id;

        var (status, body) = await _api.GetAsync("/api/chats", alice.Token);
        var (socketStatus, socketBody) = await _api.GetAsync("/ws?token=" + alice.Token);
        var socketAttempt = _gateway.ConnectSocketAsync(alice.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.ServiceUnavailable, socketStatus);
        Assert.Equal("unavailable", socketBody.GetProperty("error").GetString());
        await Assert.ThrowsAnyAsync<Exception>(() => socketAttempt);

        _cards.Failing = null;
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/chats", alice.Token)).Status);
        await using var socket = await _gateway.ConnectSocketAsync(alice.Token);
    }

    [Fact]
    public async Task TokenWhoseAccountWasFound_IsNotCheckedAgain()
    {
        var alice = await _api.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/chats", alice.Token)).Status);
        var checks = _cards.Calls;

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/chats", alice.Token)).Status);
        await using var socket = await _gateway.ConnectSocketAsync(alice.Token);

        Assert.Equal(checks, _cards.Calls);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _gateway.DisposeAsync();
    }

    /// <summary>Counts the gateway's card calls and fails those to one user's grain, as an unreachable silo would.</summary>
    private sealed class FailingCardCalls : IOutgoingGrainCallFilter
    {
        private int _calls;

        public Guid? Failing { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType != typeof(IUserGrain) || context.InterfaceMethod.Name != nameof(IUserGrain.GetCardAsync))
            {
                return context.Invoke();
            }

            Interlocked.Increment(ref _calls);
            return Failing is { } userId && context.TargetId.Key.ToString() == userId.ToKey()
                ? Task.FromException(new TimeoutException("test: user grain unreachable"))
                : context.Invoke();
        }
    }
}
