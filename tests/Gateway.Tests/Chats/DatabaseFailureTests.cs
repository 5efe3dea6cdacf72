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

    [Fact]
    public async Task Read_TheDatabaseFailsAGrainsActivation_Is503_AndServesOnceItIsBack()
    {
        var user = await _api.RegisterAsync();   // the account row only: the user's grain first activates below

        await HideGrainStateAsync(hidden: true);
        (HttpStatusCode Status, System.Text.Json.JsonElement Body) refused;
        try
        {
            refused = await _api.GetAsync("/api/users/me", user.Token);
        }
        finally
        {
            await HideGrainStateAsync(hidden: false);
        }

        var served = await _api.GetAsync("/api/users/me", user.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("unavailable", refused.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, served.Status);
        Assert.Equal(user.Id, served.Body.GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task AddMembers_TheChatsStoredStateMovedOn_Is503_AndTheRetrySucceeds()
    {
        var owner = await _api.RegisterAsync();
        var newcomer = await _api.RegisterAsync();
        var chat = await _api.CreateGroupAsync(owner, await _api.RegisterAsync());
        var name = chat.GetProperty("name").GetString();

        // What another activation of the chat writing meanwhile leaves behind: the version this one holds is stale.
        await TestInfrastructure.ExecuteAsync(fixture.Cluster.Postgres,
            $"UPDATE orleans_grain_state SET version = version + 1 WHERE convert_from(payload, 'UTF8') LIKE '%\"{name}\"%'");
        var path = $"/api/chats/{chat.Id()}/members";
        var refused = await _api.PostAsync(path, new { userIds = new[] { newcomer.Id } }, owner.Token);
        var retried = await _api.PostAsync(path, new { userIds = new[] { newcomer.Id } }, owner.Token);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.Status);
        Assert.Equal("unavailable", refused.Body.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, retried.Status);
        Assert.Contains(newcomer.Id, retried.Body.GetProperty("members").EnumerateArray().Select(m => m.GetProperty("userId").GetGuid()));
    }

    /// <summary>Grain state reads and writes fail (the table is gone) while hidden, as with a database that is down.</summary>
    private Task HideGrainStateAsync(bool hidden) =>
        TestInfrastructure.ExecuteAsync(fixture.Cluster.Postgres, hidden
            ? "ALTER TABLE orleans_grain_state RENAME TO orleans_grain_state_hidden"
            : "ALTER TABLE orleans_grain_state_hidden RENAME TO orleans_grain_state");

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
