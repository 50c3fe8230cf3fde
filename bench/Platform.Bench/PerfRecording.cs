using System.Diagnostics;

namespace Platform.Bench;

/// <summary>A <c>perf record -g</c> of some processes for as long as a phase lasts (for profiling a bench phase).</summary>
internal sealed class PerfRecording : IDisposable
{
    private readonly Process process;

    private PerfRecording(Process process) => this.process = process;

    public static PerfRecording Start(string file, IReadOnlyList<int> pids)
    {
        var start = new ProcessStartInfo("perf") { ArgumentList = { "record", "-g", "-F", "999", "-o", file, "-p", string.Join(',', pids) }, RedirectStandardError = true };
        var process = Process.Start(start)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        Thread.Sleep(500);
        return new PerfRecording(process);
    }

    /// <summary>Stops the recording (SIGINT, so perf writes its file) and waits for it.</summary>
    public void Stop()
    {
        if (process.HasExited)
        {
            return;
        }

        Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!.WaitForExit();
        process.WaitForExit(30_000);
    }

    public void Dispose()
    {
        Stop();
        process.Dispose();
    }
}
