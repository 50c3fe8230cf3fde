using Microsoft.Extensions.Logging.Abstractions;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Tests.Infrastructure;

/// <summary>Throwaway PostgreSQL clusters (initdb in a temp dir, free port, as postgres when root) and fresh databases in them.</summary>
public static class TestDatabase
{
    /// <summary>Starts a cluster that its owner disposes (stopped immediately and removed).</summary>
    public static Task<PostgresCluster> StartClusterAsync() =>
        PostgresCluster.StartAsync(
            new PostgresClusterOptions(Path.Combine(Path.GetTempPath(), "platform-test-" + Guid.NewGuid().ToString("N")[..8])) { DeleteOnDispose = true },
            NullLogger.Instance,
            CancellationToken.None);

    public static async Task<string> CreateAsync(PostgresCluster cluster)
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..12];
        await cluster.CreateDatabaseAsync(name, CancellationToken.None);
        return cluster.ConnectionStringFor(name);
    }
}
