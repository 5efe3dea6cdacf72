using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Threading.Channels;

namespace SafeGram.Bench.Connections;

/// <summary>One <c>hold-sockets</c> child: started with its slice of the tokens, talked to over stdin/stdout.</summary>
internal sealed class HoldProcess : IDisposable
{
    private readonly Process _process;
    private readonly Channel<string> _lines = Channel.CreateUnbounded<string>();

    private HoldProcess(Process process, string label)
    {
        _process = process;
        Label = label;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line)
            {
                _lines.Writer.TryWrite(line);
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (!string.IsNullOrEmpty(e.Data))
            {
                Console.Error.WriteLine($"[{label}] {e.Data}");
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Label { get; }

    public int Pid => _process.Id;

    public static HoldProcess Start(string gatewayUrl, string tokensFile, int offset, int count, string source, int maxSeconds)
    {
        var dll = Assembly.GetEntryAssembly()!.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[]
                 {
                     dll, "hold-sockets", "--url", gatewayUrl, "--tokens", tokensFile, "--source", source,
                     "--offset", offset.ToString(CultureInfo.InvariantCulture), "--count", count.ToString(CultureInfo.InvariantCulture),
                     "--max-seconds", maxSeconds.ToString(CultureInfo.InvariantCulture),
                 })
        {
            start.ArgumentList.Add(arg);
        }

        return new HoldProcess(Process.Start(start) ?? throw new InvalidOperationException("hold-sockets did not start."), $"{source}→{gatewayUrl}");
    }

    /// <summary>Waits for <c>ready OPEN FAILED</c>.</summary>
    public async Task<(int Open, int Failed)> ReadyAsync(CancellationToken cancellationToken)
    {
        var parts = (await ReadLineStartingAsync("ready ", cancellationToken)).Split(' ');
        return (int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
    }

    /// <summary>How many of its sockets are still open.</summary>
    public async Task<int> CountAsync(CancellationToken cancellationToken)
    {
        await _process.StandardInput.WriteLineAsync("count");
        await _process.StandardInput.FlushAsync(cancellationToken);
        return int.Parse((await ReadLineStartingAsync("open ", cancellationToken)).Split(' ')[1], CultureInfo.InvariantCulture);
    }

    /// <summary>Asks it to close everything and exit; kills it (only this child, by its pid) if it does not within the grace.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            await _process.StandardInput.WriteLineAsync("stop");
            await _process.StandardInput.FlushAsync();
            using var timeout = new CancellationTokenSource(grace);
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or InvalidOperationException)
        {
            if (!_process.HasExited)
            {
                _process.Kill();
            }
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }

    private async Task<string> ReadLineStartingAsync(string prefix, CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await _lines.Reader.ReadAsync(cancellationToken);
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                return line;
            }
        }
    }
}
