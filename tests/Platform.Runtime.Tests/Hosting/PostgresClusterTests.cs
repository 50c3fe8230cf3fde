using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Runtime.Hosting;

namespace Platform.Runtime.Tests.Hosting;

public sealed class PostgresClusterTests
{
    private static string TempDir() => Path.Combine(Path.GetTempPath(), "platform-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    private static async Task<object?> ScalarAsync(PostgresCluster cluster, string sql)
    {
        await using var connection = new NpgsqlConnection(cluster.ConnectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task StartAsync_ReusesData_WhenStartedAgainOnSameDirectory()
    {
        var dir = TempDir();
        try
        {
            await using (var first = await PostgresCluster.StartAsync(new PostgresClusterOptions(dir), NullLogger.Instance, CancellationToken.None))
            {
                await ScalarAsync(first, "create table kept (v int); insert into kept values (42)");
            }

            var pgVersionWritten = File.GetLastWriteTimeUtc(Path.Combine(dir, "pgdata", "PG_VERSION"));
            await using var second = await PostgresCluster.StartAsync(new PostgresClusterOptions(dir), NullLogger.Instance, CancellationToken.None);
            Assert.Equal(42, await ScalarAsync(second, "select v from kept"));
            Assert.Equal(pgVersionWritten, File.GetLastWriteTimeUtc(Path.Combine(dir, "pgdata", "PG_VERSION")));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task StartAsync_Recovers_WhenPidFileIsStale()
    {
        var dir = TempDir();
        await using (var first = await PostgresCluster.StartAsync(new PostgresClusterOptions(dir), NullLogger.Instance, CancellationToken.None))
        {
        }

        // A crash leaves postmaster.pid behind with a pid that is no longer postgres.
        await File.WriteAllTextAsync(Path.Combine(dir, "pgdata", "postmaster.pid"), "999999\n" + Path.Combine(dir, "pgdata") + "\n");
        await using var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(dir) { DeleteOnDispose = true }, NullLogger.Instance, CancellationToken.None);
        Assert.Equal(1, await ScalarAsync(cluster, "select 1"));
    }

    [Fact]
    public async Task CreateDatabaseAsync_CreatesDatabase_OnceOnly()
    {
        await using var cluster = await PostgresCluster.StartAsync(new PostgresClusterOptions(TempDir()) { DeleteOnDispose = true }, NullLogger.Instance, CancellationToken.None);
        await cluster.CreateDatabaseAsync("extra_db", CancellationToken.None);
        await cluster.CreateDatabaseAsync("extra_db", CancellationToken.None);
        await using var connection = new NpgsqlConnection(cluster.ConnectionStringFor("extra_db") + ";Pooling=false");
        await connection.OpenAsync();
        await Assert.ThrowsAsync<ArgumentException>(() => cluster.CreateDatabaseAsync("bad; drop", CancellationToken.None));
    }

    [Fact]
    public async Task StartAsync_ExplainsFix_WhenBinariesAreMissing()
    {
        var empty = Directory.CreateTempSubdirectory().FullName;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            PostgresCluster.StartAsync(new PostgresClusterOptions(TempDir()) { BinDirectory = empty }, NullLogger.Instance, CancellationToken.None));
        Assert.Contains("apt-get install postgresql", error.Message);
        Assert.Contains("ConnectionStrings:Platform", error.Message);
    }

    [Fact]
    public async Task StartAsync_MovesCluster_WhenDirectoryIsUnreachableForPostgresUser()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName != "root")
        {
            return;
        }

        var privateParent = Directory.CreateTempSubdirectory("platform-private-").FullName;
        File.SetUnixFileMode(privateParent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        try
        {
            await using var cluster = await PostgresCluster.StartAsync(
                new PostgresClusterOptions(Path.Combine(privateParent, "data")) { DeleteOnDispose = true }, NullLogger.Instance, CancellationToken.None);
            Assert.StartsWith("/var/lib/platform/", cluster.DataDirectory);
            Assert.Equal(1, await ScalarAsync(cluster, "select 1"));
        }
        finally
        {
            Directory.Delete(privateParent, recursive: true);
        }
    }
}
