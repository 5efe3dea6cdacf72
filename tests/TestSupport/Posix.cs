using System.Diagnostics;

namespace SafeGram.TestSupport;

internal static class Posix
{
    /// <summary>Sends SIGTERM (what Kubernetes sends) rather than the SIGKILL of <see cref="Process.Kill()"/>.</summary>
    public static void Terminate(int processId)
    {
        using var kill = Process.Start("kill", ["-TERM", processId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }
}
