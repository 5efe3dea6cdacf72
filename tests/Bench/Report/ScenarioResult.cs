using System.Text.Json;
using System.Text.Json.Serialization;
using SafeGram.Bench.Measure;

namespace SafeGram.Bench.Report;

/// <summary>What one scenario measured: numbers, the CPU it cost by role, and notes for the report. One JSON file each.</summary>
internal sealed class ScenarioResult
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public string Name { get; set; } = "";

    public Dictionary<string, double> Metrics { get; set; } = new(StringComparer.Ordinal);

    public double? CpuWallSeconds { get; set; }

    /// <summary>CPU-seconds by role (silo, gateway, postgres, redis, client, machine).</summary>
    public Dictionary<string, double> CpuSeconds { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Average cores busy by role over the measured interval, plus <c>other</c> (the rest of the machine).</summary>
    public Dictionary<string, double> CpuCores { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Context switches by role over the measured interval (every thread of the role's processes), and <c>machine</c>.</summary>
    public Dictionary<string, long> ContextSwitches { get; set; } = new(StringComparer.Ordinal);

    public List<string> Notes { get; set; } = [];

    public static ScenarioResult For(string name) => new() { Name = name };

    public ScenarioResult Set(string metric, double value)
    {
        Metrics[metric] = value;
        return this;
    }

    public ScenarioResult Note(string note)
    {
        Notes.Add(note);
        return this;
    }

    public ScenarioResult WithCpu(CpuUsage usage)
    {
        CpuWallSeconds = Math.Round(usage.WallSeconds, 2);
        CpuSeconds = usage.Seconds.ToDictionary(kv => kv.Key, kv => Math.Round(kv.Value, 2), StringComparer.Ordinal);
        CpuCores = usage.Cores();
        ContextSwitches = new Dictionary<string, long>(usage.Switches, StringComparer.Ordinal);
        return this;
    }

    /// <summary>
    /// Garbage collections over the measured interval by role: <c>gc_collections_ROLE</c>, <c>gc_pause_ms_ROLE</c> and
    /// <c>alloc_kb_per_message_ROLE</c> (managed bytes allocated by all the role's processes over <paramref name="messages"/>).
    /// </summary>
    public ScenarioResult WithGc(IReadOnlyDictionary<string, GcTotals> byRole, int messages)
    {
        foreach (var (role, totals) in byRole)
        {
            Set($"gc_collections_{role}", totals.Collections)
                .Set($"gc_pause_ms_{role}", Math.Round(totals.PauseMs, 1))
                .Set($"alloc_kb_per_message_{role}", Math.Round(totals.AllocatedBytes / 1024.0 / messages, 2));
        }

        return this;
    }

    public double Get(string metric) => Metrics.TryGetValue(metric, out var value) ? value : double.NaN;

    public async Task SaveAsync(string directory)
    {
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, Name + ".json"), JsonSerializer.Serialize(this, Json));
        await Console.Out.WriteLineAsync($"[bench] {Name}: {string.Join(' ', Metrics.Select(kv => $"{kv.Key}={kv.Value:0.##}"))}");
    }

    public static IReadOnlyDictionary<string, ScenarioResult> LoadAll(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.json")
                .Select(f => JsonSerializer.Deserialize<ScenarioResult>(File.ReadAllText(f), Json)!)
                .ToDictionary(r => r.Name, StringComparer.Ordinal)
            : new Dictionary<string, ScenarioResult>();

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);
}
