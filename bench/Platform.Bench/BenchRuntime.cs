using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Platform.Runtime.Hosting;

namespace Platform.Bench;

/// <summary>A throwaway PostgreSQL cluster and the Release runtime on it as its own process, ready to take requests.</summary>
internal sealed class BenchRuntime : IAsyncDisposable
{
    private readonly PostgresCluster cluster;
    private readonly Process process;

    private BenchRuntime(PostgresCluster cluster, Process process, string connectionString, Uri address)
    {
        this.cluster = cluster;
        this.process = process;
        ConnectionString = connectionString;
        Address = address;
    }

    public string ConnectionString { get; }

    public Uri Address { get; }

    /// <summary>The runtime process's id (for heap dumps while a bench is held).</summary>
    public int ProcessId => process.Id;
    /// <summary>CPU used by the runtime process and the cluster, for CPU per request of a phase.</summary>
    public CpuMeter Cpu => new(process.Id, PgData);

    /// <summary>The cluster's data directory (for a <see cref="CpuMeter"/> of another process than the runtime).</summary>
    public string PgData => Path.Combine(cluster.DataDirectory, "pgdata");

    /// <summary>Null (after saying why) when the Release runtime has not been built.</summary>
    public static async Task<BenchRuntime?> StartAsync(params string[] settings)
    {
        var root = SampleFiles.RepositoryRoot;
        // REPBENCH_RUNTIME_DLL: a copy of the Release output under another name, so that a shared machine's `pkill -f Platform.Runtime` spares it.
        var runtimeDll = Environment.GetEnvironmentVariable("REPBENCH_RUNTIME_DLL") is { Length: > 0 } copy
            ? copy
            : Path.Combine(root, "src", "Platform.Runtime", "bin", "Release", "net10.0", "Platform.Runtime.dll");
        if (!File.Exists(runtimeDll))
        {
            Console.Error.WriteLine($"Build the runtime in Release first: dotnet build -c Release src/Platform.Runtime ({runtimeDll} missing)");
            return null;
        }

        var cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions(Path.Combine(Path.GetTempPath(), "platform-bench-" + Guid.NewGuid().ToString("N")[..8])) { DeleteOnDispose = true },
            NullLogger.Instance, CancellationToken.None);
        await cluster.CreateDatabaseAsync("bench", CancellationToken.None);
        var connectionString = cluster.ConnectionStringFor("bench");
        var port = ApiCreateBenchmark.FreePort();
        var start = new ProcessStartInfo("dotnet")
        {
            ArgumentList =
            {
                runtimeDll, "--urls", $"http://127.0.0.1:{port}", "--ConnectionStrings:Platform", connectionString, "--Platform:Demo", "users",
                "--Platform:ImportSample", "true", "--Platform:SamplePath", SampleFiles.SamplePath,
            },
            WorkingDirectory = Path.Combine(root, "src", "Platform.Runtime"),
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["Logging__LogLevel__Default"] = "Warning" },
        };
        foreach (var setting in settings)
        {
            start.ArgumentList.Add(setting);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("runtime: " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var runtime = new BenchRuntime(cluster, process, connectionString, new Uri($"http://127.0.0.1:{port}"));
        await ApiCreateBenchmark.WaitReadyAsync(runtime.Address);
        return runtime;
    }

    public async ValueTask DisposeAsync()
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        await cluster.DisposeAsync();
    }
}
