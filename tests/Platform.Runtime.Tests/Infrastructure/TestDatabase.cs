using Microsoft.Extensions.Logging.Abstractions;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Tests.Infrastructure;

/// <summary>
/// One throwaway PostgreSQL cluster per test run (initdb in a temp dir, free port, as postgres when root),
/// removed when the test process exits; every fixture gets its own fresh database in it.
/// </summary>
public static class TestDatabase
{
    private static readonly Lazy<Task<PostgresCluster>> Cluster = new(StartAsync);

    public static Task<PostgresCluster> GetClusterAsync() => Cluster.Value;

    public static async Task<string> CreateAsync()
    {
        var cluster = await Cluster.Value;
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await cluster.CreateDatabaseAsync(name, CancellationToken.None);
        return cluster.ConnectionStringFor(name);
    }

    private static async Task<PostgresCluster> StartAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "platform-test-" + Guid.NewGuid().ToString("N")[..8]);
        var cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions(directory) { DeleteOnDispose = true }, NullLogger.Instance, CancellationToken.None);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return cluster;
    }
}
