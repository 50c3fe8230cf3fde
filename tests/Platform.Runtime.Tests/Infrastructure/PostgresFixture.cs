using Microsoft.Extensions.Logging.Abstractions;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp directory (free port, as postgres when root), removed on dispose;
/// every test that needs a clean slate asks for its own fresh database in it.
/// </summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresCluster? cluster;

    public PostgresCluster Cluster => cluster ?? throw new InvalidOperationException("The PostgreSQL fixture is not initialised.");

    public async Task InitializeAsync()
    {
        var directory = Path.Combine(Path.GetTempPath(), "platform-test-" + Guid.NewGuid().ToString("N")[..8]);
        cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions(directory) { DeleteOnDispose = true }, NullLogger.Instance, CancellationToken.None);
    }

    /// <summary>Creates a fresh, uniquely named database (<c>t_xxxxxxxx</c>) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "t_" + Guid.NewGuid().ToString("N")[..8];
        await Cluster.CreateDatabaseAsync(name, CancellationToken.None);
        return Cluster.ConnectionStringFor(name);
    }

    public async Task DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }
    }
}
