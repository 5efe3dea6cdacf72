using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
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
        var reconnecting = _gateway.ConnectSocketAsync(bob.Token);
        // Long enough for a subscribe that does not wait for the unsubscribe to be sent before it.
        await Task.WhenAny(reconnecting, Task.Delay(TimeSpan.FromMilliseconds(500)));
        unsubscribe.Release();
        await using var second = await reconnecting;

        await _api.WaitUntilOnlineAsync(alice, chatId, bob);
        var sent = _calls.SentFor(bob.Id);
        Assert.Equal([SubscriptionCalls.Subscribe, SubscriptionCalls.Unsubscribe, SubscriptionCalls.Subscribe], sent.Take(3));
        Assert.Equal(SubscriptionCalls.Subscribe, sent[^1]);

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
        Assert.True(opened.Elapsed < TimeSpan.FromSeconds(12), $"subscribed after {opened.Elapsed.TotalSeconds:F1} s");
        var message = await _api.SendAsync(alice, chatId, "after the retries");
        var frame = await socket.WaitForAsync(SocketClient.OfType("message"), TimeSpan.FromSeconds(5));
        Assert.Equal(message.Id(), frame.GetProperty("data").Id());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _gateway.DisposeAsync();
    }
}
