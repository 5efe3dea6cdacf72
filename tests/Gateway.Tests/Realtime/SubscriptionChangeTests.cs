using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using SafeGram.Gateway.Realtime;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Realtime;

/// <summary>
/// A user's subscription changes reach the user's grain in the order the user's sockets came and went, and a subscribe
/// that failed is tried again within seconds rather than at the next renewal.
/// </summary>
public sealed class SubscriptionChangeTests : IAsyncLifetime
{
    private readonly SubscriptionCalls _calls = new();
    private readonly GatewayApplication _gateway;
    private readonly ApiClient _api;

    public SubscriptionChangeTests()
    {
        _gateway = EmbeddedGatewayFixture.CreateGateway(services => services.AddSingleton<IOutgoingGrainCallFilter>(_calls));
        _api = _gateway.CreateApiClient();
    }

    [Fact]
    public async Task Reconnect_WhileTheClosedSocketsUnsubscribeIsOnItsWay_LeavesTheUserSubscribed()
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        var chatId = (await _api.CreateGroupAsync(alice, bob)).Id();
        var first = await _gateway.ConnectSocketAsync(bob.Token);
        await _api.WaitUntilOnlineAsync(alice, chatId, bob);

        var unsubscribe = _calls.HoldNextUnsubscribe(bob.Id);
        await first.DisposeAsync();
        await unsubscribe.Reached.WaitAsync(TimeSpan.FromSeconds(20));
        var sentBefore = _calls.SentFor(bob.Id).Count;
        var reconnecting = _gateway.ConnectSocketAsync(bob.Token);
        var registry = _gateway.Services.GetRequiredService<SessionRegistry>();
        Assert.True(await EventuallyAsync(() => registry.Find(bob.Id)?.Sockets.Length == 1, TimeSpan.FromSeconds(20)));
        // As long as a subscribe that does not wait for the unsubscribe could take to be sent before it.
        await EventuallyAsync(() => _calls.SentFor(bob.Id).Count > sentBefore, TimeSpan.FromSeconds(2));
        unsubscribe.Release();
        await using var second = await reconnecting;

        // A renewal may add a subscribe anywhere, but not between these two.
        Assert.Equal([SubscriptionCalls.Unsubscribe, SubscriptionCalls.Subscribe], _calls.SentFor(bob.Id).Skip(sentBefore).Take(2));
        await _api.WaitUntilOnlineAsync(alice, chatId, bob);

        var message = await _api.SendAsync(alice, chatId, "after the reconnect");
        var frame = await second.WaitForAsync(SocketClient.OfType("message"), TimeSpan.FromSeconds(5));
        Assert.Equal(message.Id(), frame.GetProperty("data").Id());
    }

    [Fact]
    public async Task FailedSubscribe_IsTriedAgainWithinSeconds_NotLeftToTheRenewals()
    {
        var alice = await _api.RegisterAsync();
        var bob = await _api.RegisterAsync();
        var chatId = (await _api.CreateGroupAsync(alice, bob)).Id();
        _calls.FailNextSubscribes(bob.Id, 2);

        var opened = Stopwatch.StartNew();
        await using var socket = await _gateway.ConnectSocketAsync(bob.Token);
        await _api.WaitUntilOnlineAsync(alice, chatId, bob);

        // Without retries the second failure would be a renewal's and the success the next one's: 15 s or more.
        Assert.True(opened.Elapsed < TimeSpan.FromSeconds(14), $"subscribed after {opened.Elapsed.TotalSeconds:F1} s");
        var message = await _api.SendAsync(alice, chatId, "after the retries");
        var frame = await socket.WaitForAsync(SocketClient.OfType("message"), TimeSpan.FromSeconds(5));
        Assert.Equal(message.Id(), frame.GetProperty("data").Id());
    }

    private static async Task<bool> EventuallyAsync(Func<bool> condition, TimeSpan patience)
    {
        var waited = Stopwatch.StartNew();
        while (!condition())
        {
            if (waited.Elapsed > patience)
            {
                return false;
            }

            await Task.Delay(20);
        }

        return true;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _calls.ReleaseAll();
        _api.Dispose();
        await _gateway.DisposeAsync();
    }
}
