using System.Text.Json;
using SafeGram.Bench.Api;

namespace SafeGram.Bench.Setup;

/// <summary>A chat and its members, as indexes into the user pool it was drawn from.</summary>
internal sealed record BenchChat(Guid Id, int[] Members);

/// <summary>
/// Everything setup created, shared by the later scenarios. Pools are kept apart so that connecting one scenario's
/// sockets never sends presence into another scenario's chats.
/// </summary>
internal sealed class BenchState
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Senders: members of the send chats and of the read chat; never connected by socket.</summary>
    public BenchUser[] Senders { get; set; } = [];

    public BenchChat[] SendChats { get; set; } = [];

    public BenchChat ReadChat { get; set; } = new(Guid.Empty, []);

    /// <summary>Receivers: members of the small delivery chats.</summary>
    public BenchUser[] Receivers { get; set; } = [];

    public BenchChat[] DeliveryChats { get; set; } = [];

    /// <summary>The crowd: members of the fan-out group and of the smaller groups used for cost per message.</summary>
    public BenchUser[] Crowd { get; set; } = [];

    /// <summary>Groups of the crowd, largest first (the first is the fan-out group).</summary>
    public BenchChat[] CrowdChats { get; set; } = [];

    public static string PathIn(string runDirectory) => Path.Combine(runDirectory, "state.json");

    public static BenchState Load(string runDirectory) =>
        JsonSerializer.Deserialize<BenchState>(File.ReadAllText(PathIn(runDirectory)), Json)!;

    public Task SaveAsync(string runDirectory) => File.WriteAllTextAsync(PathIn(runDirectory), JsonSerializer.Serialize(this, Json));
}
