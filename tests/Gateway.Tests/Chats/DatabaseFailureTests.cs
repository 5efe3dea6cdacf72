using System.Net;
using System.Net.Http.Json;
using SafeGram.Gateway.Tests.Infrastructure;
using SafeGram.TestSupport;

namespace SafeGram.Gateway.Tests.Chats;

/// <summary>The contract's "503 unavailable when a dependency is down", for a database that fails a silo's write.</summary>
[Collection(ProductionClusterCollection.Name)]
public sealed class DatabaseFailureTests(ProductionClusterFixture fixture)
{
    private const string RefusedText = "the database refuses this row";

    private readonly ApiClient _api = fixture.GatewayA.CreateApiClient();

    [Fact]
    public async Task Send_TheDatabaseRefuses_Is503WithRetryAfter_AndStoresNothing()
    {
        await RefuseMessagesWithTextAsync(RefusedText);
        var owner = await _api.RegisterAsync();
        var chatId = (await _api.CreateGroupAsync(owner, await _api.RegisterAsync())).Id();

        using var refused = new HttpRequestMessage(HttpMethod.Post, $"/api/chats/{chatId}/messages")
        {
            Content = JsonContent.Create(new { text = RefusedText }),
        };
        refused.Headers.Authorization = new("Bearer", owner.Token);
        using var response = await _api.Http.SendAsync(refused);
        var after = await _api.SendAsync(owner, chatId, "the next send");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.True(response.Headers.Contains("Retry-After"));
        Assert.Contains("\"unavailable\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var history = (await _api.HistoryAsync(owner, chatId)).GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal([after.Id()], history.Select(m => m.Id()));
    }

    private Task RefuseMessagesWithTextAsync(string text) =>
        TestInfrastructure.ExecuteAsync(fixture.Cluster.Postgres, $"""
            CREATE OR REPLACE FUNCTION refuse_test_message() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.text = '{text}' THEN
                    RAISE EXCEPTION 'the test refuses this message';
                END IF;
                RETURN NEW;
            END $$;
            DROP TRIGGER IF EXISTS refuse_test_message ON messages;
            CREATE TRIGGER refuse_test_message BEFORE INSERT ON messages FOR EACH ROW EXECUTE FUNCTION refuse_test_message();
            """);
}
