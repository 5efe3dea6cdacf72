using System.Diagnostics;
using System.Text;

namespace SafeGram.TestSupport;

/// <summary>
/// A Silo or Gateway running as a real OS process from its own output (<see cref="ProjectOutput"/>), configured
/// only through environment variables, exactly as an operator would run it.
/// </summary>
public sealed class AppProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AppProcess(string name, Process process, int httpPort)
    {
        Name = name;
        _process = process;
        HttpPort = httpPort;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public string Name { get; }

    public int HttpPort { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static AppProcess Start(string project, IReadOnlyDictionary<string, string?> settings, int? httpPort = null)
    {
        var port = httpPort ?? FreePorts.Next();
        var start = ProjectOutput.StartInfo(project);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["urls"] = $"http://127.0.0.1:{port}";
        start.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        return new AppProcess(project, Process.Start(start) ?? throw new InvalidOperationException($"Could not start {project}"), port);
    }

    /// <summary>Waits until <paramref name="path"/> answers 200, or fails with the process output.</summary>
    public async Task WaitUntilHealthyAsync(string path = "/health/live", TimeSpan? timeout = null)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                await WaitForExitAsync();
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode}:\n{Output}");
            }

            try
            {
                if ((await http.GetAsync(path)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"{Name} did not answer {path} in time:\n{Output}");
    }

    /// <summary>Waits until the process has exited and all it printed is in <see cref="Output"/>.</summary>
    public Task WaitForExitAsync() => _process.WaitForExitAsync();

    /// <summary>SIGKILL: no goodbye to the cluster, as in a crash.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM and wait, as Kubernetes stops a pod.</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process.HasExited)
        {
            return;
        }

        Posix.Terminate(_process.Id);
        using var wait = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }
}
