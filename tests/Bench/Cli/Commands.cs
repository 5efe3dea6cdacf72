using SafeGram.Bench.Baseline;
using SafeGram.Bench.Connections;
using SafeGram.Bench.Idle;
using SafeGram.Bench.Platform;
using SafeGram.Bench.Postgres;
using SafeGram.Bench.Realtime;
using SafeGram.Bench.Report;
using SafeGram.Bench.Setup;
using SafeGram.Bench.Wrk;

namespace SafeGram.Bench.Cli;

internal static class Commands
{
    private static readonly Dictionary<string, Func<Options, Task<int>>> All = new(StringComparer.Ordinal)
    {
        ["serve-baseline"] = BaselineServer.RunAsync,
        ["platform"] = PlatformCommand.RunAsync,
        ["commits"] = CommitsCommand.RunAsync,
        ["idle"] = IdleCommand.RunAsync,
        ["setup"] = SetupCommand.RunAsync,
        ["warm"] = WarmCommand.RunAsync,
        ["wrk"] = WrkCommand.RunAsync,
        ["deliver"] = DeliveryCommand.RunAsync,
        ["fanout"] = FanoutCommand.RunAsync,
        ["sockets"] = SocketsCommand.RunAsync,
        ["hold-sockets"] = HoldSocketsCommand.RunAsync,
        ["report"] = ReportCommand.RunAsync,
        ["gc"] = GcCommand.RunAsync,
    };

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length == 0 || !All.TryGetValue(args[0], out var command))
        {
            await Console.Error.WriteLineAsync($"usage: SafeGram.Bench <{string.Join('|', All.Keys)}> [--option value ...]");
            return 2;
        }

        try
        {
            return await command(new Options(args[1..]));
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync($"bench {args[0]}: {e.Message}");
            return 2;
        }
    }
}
