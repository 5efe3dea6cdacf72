using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace SafeGram.Bench.Measure;

/// <summary>
/// Induces a full GC in another .NET process through its diagnostics port: an EventPipe session that enables the
/// runtime's GCHeapCollect keyword makes the runtime collect (as dotnet-gcdump does), without changing the process.
/// The session also listens for the GC events, so the collection is confirmed rather than assumed.
/// </summary>
internal static class GcTrigger
{
    private const string RuntimeProvider = "Microsoft-Windows-DotNETRuntime";

    /// <summary><c>true</c> when an induced GC was seen to finish in the process.</summary>
    public static async Task<bool> CollectAsync(int pid)
    {
        try
        {
            var keywords = (long)(ClrTraceEventParser.Keywords.GC | ClrTraceEventParser.Keywords.GCHeapCollect);
            var client = new DiagnosticsClient(pid);
            using var session = client.StartEventPipeSession(
                [new EventPipeProvider(RuntimeProvider, EventLevel.Informational, keywords)], requestRundown: false, circularBufferMB: 16);
            var induced = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var reading = Task.Run(() =>
            {
                using var source = new EventPipeEventSource(session.EventStream);
                source.Clr.GCStart += e =>
                {
                    if (e.Reason is Microsoft.Diagnostics.Tracing.Parsers.Clr.GCReason.Induced or Microsoft.Diagnostics.Tracing.Parsers.Clr.GCReason.InducedNotForced)
                    {
                        induced.TrySetResult();
                    }
                };
                source.Process();
            });
            var seen = await Task.WhenAny(induced.Task, Task.Delay(TimeSpan.FromSeconds(10))) == induced.Task;
            await session.StopAsync(CancellationToken.None);
            await Task.WhenAny(reading, Task.Delay(TimeSpan.FromSeconds(5)));
            return seen;
        }
        catch (Exception e) when (e is ServerNotAvailableException or UnsupportedCommandException or IOException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"[bench] could not induce a GC in {pid}: {e.Message}");
            return false;
        }
    }

    /// <summary>Collects in each process at once, then lets them settle for a moment.</summary>
    public static async Task<bool> CollectAllAsync(IEnumerable<int> pids)
    {
        var done = await Task.WhenAll(pids.Select(CollectAsync));
        await Task.Delay(TimeSpan.FromSeconds(2));
        return done.All(d => d);
    }
}
