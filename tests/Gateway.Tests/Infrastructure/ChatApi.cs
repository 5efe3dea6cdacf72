using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace SafeGram.Gateway.Tests.Infrastructure;

/// <summary>Chat and message calls in the contract's shapes, asserting success where a test only needs setup.</summary>
public static class ChatApi
{
    public static async Task<JsonElement> CreateGroupAsync(this ApiClient api, RegisteredUser owner, params RegisteredUser[] members) =>
        await ExpectOkAsync(api.PostRetryingAsync("/api/chats",
            new { type = "group", name = "group " + Guid.NewGuid().ToString("N")[..6], memberIds = members.Select(m => m.Id) }, owner.Token));

    public static async Task<JsonElement> CreateDmAsync(this ApiClient api, RegisteredUser caller, RegisteredUser other) =>
        await ExpectOkAsync(api.PostAsync("/api/chats", new { type = "dm", memberIds = new[] { other.Id } }, caller.Token));

    public static async Task<JsonElement> SendAsync(this ApiClient api, RegisteredUser sender, Guid chatId, string text, string? clientMessageId = null) =>
        await ExpectOkAsync(api.PostAsync($"/api/chats/{chatId}/messages", new { text, clientMessageId }, sender.Token));

    public static async Task<JsonElement> HistoryAsync(this ApiClient api, RegisteredUser reader, Guid chatId, string query = "") =>
        await ExpectOkAsync(api.GetAsync($"/api/chats/{chatId}/messages{query}", reader.Token));

    public static Guid Id(this JsonElement element) => element.GetProperty("id").GetGuid();

    /// <summary>
    /// Waits until the chat shows every given member online: from then on the chat routes events to
    /// their sockets (a socket's subscription reaches the chat a moment after the upgrade).
    /// </summary>
    public static async Task WaitUntilOnlineAsync(this ApiClient api, RegisteredUser reader, Guid chatId, params RegisteredUser[] members)
    {
        var patience = Stopwatch.StartNew();
        while (patience.Elapsed < TimeSpan.FromSeconds(30))
        {
            var (_, chat) = await api.GetAsync($"/api/chats/{chatId}", reader.Token);
            var online = chat.GetProperty("members").EnumerateArray()
                .Where(m => m.GetProperty("user").GetProperty("status").GetString() == "online")
                .Select(m => m.GetProperty("userId").GetGuid())
                .ToHashSet();
            if (members.All(m => online.Contains(m.Id)))
            {
                return;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException($"Members of chat {chatId} did not come online.");
    }

    public static async Task<JsonElement> ExpectOkAsync(Task<(HttpStatusCode Status, JsonElement Body)> call)
    {
        var (status, body) = await call;
        Assert.True(status == HttpStatusCode.OK, $"expected 200, got {(int)status}: {body}");
        return body;
    }
}
