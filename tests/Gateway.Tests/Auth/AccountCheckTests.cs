using System.Net;
using Microsoft.Extensions.DependencyInjection;
using SafeGram.Gateway.Auth;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.Gateway.Tests.Realtime;
using SafeGram.Grains.Abstractions.Users;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Auth;

/// <summary>
/// A token's account is checked when a gateway first meets the token (REST) and at a socket's upgrade, on real
/// Kestrel so that the upgrade's connection middleware takes part. When the cluster cannot answer, the request is a
/// 503 to retry, never a 401 that would sign the user out.
/// </summary>
public sealed class AccountCheckTests(AccountCheckTests.Gateway fixture) : IClassFixture<AccountCheckTests.Gateway>
{
    private readonly ApiClient _api = fixture.CreateApiClient();

    [Fact]
    public async Task AccountCheckThatCannotBeMade_Is503_AskedOncePerRequest_ThenTheTokenWorks()
    {
        var alice = await _api.RegisterAsync();
        fixture.Checks.Failing = alice.Id;
        var before = fixture.Checks.Calls;

        var (status, body) = await _api.GetAsync("/api/chats", alice.Token);
        var afterRest = fixture.Checks.Calls;
        var handshake = await SocketUpgradeTests.ExchangeAsync(fixture.BaseAddress, SocketUpgradeTests.Handshake(alice.Token));
        var afterHandshake = fixture.Checks.Calls;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, status);
        Assert.Equal("unavailable", body.GetProperty("error").GetString());
        Assert.StartsWith("HTTP/1.1 503", handshake);
        Assert.Contains("\"error\":\"unavailable\"", handshake);
        // The connection middleware's failed check travels to the endpoint, which does not wait for a second one.
        Assert.Equal([1, 1], new[] { afterRest - before, afterHandshake - afterRest });

        fixture.Checks.Failing = null;
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/chats", alice.Token)).Status);
        Assert.StartsWith("HTTP/1.1 101", await SocketUpgradeTests.ExchangeAsync(fixture.BaseAddress, SocketUpgradeTests.Handshake(alice.Token)));
    }

    [Fact]
    public async Task SignedTokenOfNoAccount_Is401_OnTheUpgradesFastPathToo()
    {
        var ghost = fixture.Gateway.Services.GetRequiredService<TokenIssuer>().Issue(Guid.NewGuid(), "ghost");

        var handshake = await SocketUpgradeTests.ExchangeAsync(fixture.BaseAddress, SocketUpgradeTests.Handshake(ghost));

        Assert.StartsWith("HTTP/1.1 401", handshake);
        Assert.Contains("\"error\":\"unauthorized\"", handshake);
    }

    [Fact]
    public async Task TokenWhoseAccountWasFound_IsNotCheckedAgainOnItsRestPath()
    {
        var alice = await _api.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/chats", alice.Token)).Status);
        var checks = fixture.Checks.Calls;

        Assert.Equal(HttpStatusCode.OK, (await _api.GetAsync("/api/chats", alice.Token)).Status);
        Assert.StartsWith("HTTP/1.1 101", await SocketUpgradeTests.ExchangeAsync(fixture.BaseAddress, SocketUpgradeTests.Handshake(alice.Token)));

        Assert.Equal(checks, fixture.Checks.Calls);
    }

    /// <summary>A Kestrel-hosted gateway whose embedded silo sees (and can fail) every account check.</summary>
    public sealed class Gateway : KestrelGatewayFixture
    {
        public Gateway()
            : this(new FailingAccountChecks())
        {
        }

        private Gateway(FailingAccountChecks checks)
            : base(new Dictionary<string, string?>(), services => services.AddSingleton<IOutgoingGrainCallFilter>(checks)) =>
            Checks = checks;

        public FailingAccountChecks Checks { get; }
    }

    /// <summary>Counts the account checks made of user grains and fails those of one user, as an unreachable silo would.</summary>
    public sealed class FailingAccountChecks : IOutgoingGrainCallFilter
    {
        private int _calls;

        public Guid? Failing { get; set; }

        public int Calls => Volatile.Read(ref _calls);

        public Task Invoke(IOutgoingGrainCallContext context)
        {
            if (context.InterfaceMethod?.DeclaringType != typeof(IUserGrain) || context.InterfaceMethod.Name != nameof(IUserGrain.HasAccountAsync))
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
