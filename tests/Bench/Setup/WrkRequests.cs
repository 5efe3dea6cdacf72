using System.Text;

namespace SafeGram.Bench.Setup;

/// <summary>
/// The request files wrk rotates through (wrk/rotate.lua): one <c>token TAB path [TAB json body]</c> line per request.
/// </summary>
internal static class WrkRequests
{
    /// <summary>wrk's Lua reads the file byte for byte: a byte-order mark would corrupt the first token.</summary>
    private static readonly UTF8Encoding NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public static async Task WriteAsync(string dir, BenchState state, CancellationToken cancellationToken)
    {
        // Every sender asks for its own profile: with one user, one grain would serve every call, and whether it lives on
        // the silo the gateway happens to route its calls to would decide the figure. Over many users, as in production,
        // a share of the calls is relayed between silos.
        await WriteAsync(Path.Combine(dir, "me.tsv"), state.Senders.Select(s => $"{s.Token}\t/api/users/me"), cancellationToken);
        var reader = state.Senders[state.ReadChat.Members[0]];
        await WriteAsync(Path.Combine(dir, "read.tsv"), [$"{reader.Token}\t/api/chats/{state.ReadChat.Id}/messages"], cancellationToken);

        // Chat by chat, member by member: consecutive requests go to different chats and senders.
        var sends = new List<string>();
        var width = state.SendChats.Max(c => c.Members.Length);
        for (var m = 0; m < width; m++)
        {
            foreach (var chat in state.SendChats.Where(c => m < c.Members.Length))
            {
                var sender = state.Senders[chat.Members[m]];
                sends.Add($"{sender.Token}\t/api/chats/{chat.Id}/messages\t{{\"text\":\"bench message from {sender.Username}\"}}");
            }
        }

        await WriteAsync(Path.Combine(dir, "send.tsv"), sends, cancellationToken);
    }

    private static Task WriteAsync(string path, IEnumerable<string> lines, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(path, string.Join('\n', lines) + "\n", NoBom, cancellationToken);
}
