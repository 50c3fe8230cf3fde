using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Runtime.Hosting;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Hosting;

/// <summary>Clusters of their own: lifecycle, reuse, stale state, relocation, missing binaries.</summary>
public sealed class PostgresClusterTests
{
    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private static string TempDir() => Path.Combine(Path.GetTempPath(), "platform-cluster-" + Guid.NewGuid().ToString("N")[..8]);

    private static Task<PostgresCluster> StartAsync(string dir, bool throwaway = false, ILogger? logger = null) =>
        PostgresCluster.StartAsync(new PostgresClusterOptions(dir) { DeleteOnDispose = throwaway }, logger ?? NullLogger.Instance, CancellationToken.None);

    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    /// <summary>Running (a zombie awaiting its reaper counts as gone).</summary>
    private static bool IsAlive(int pid)
    {
        try
        {
            var state = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("State:", StringComparison.Ordinal));
            return state is not null && !state.Contains("zombie", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public async Task StartAsync_ReusesDataWithoutInitdb_WhenStartedAgainOnSameDirectory()
    {
        var dir = TempDir();
        int firstPort;
        await using (var first = await StartAsync(dir))
        {
            firstPort = first.Port;
            await ScalarAsync(first.ConnectionString, "CREATE TABLE kept (v int); INSERT INTO kept VALUES (42)");
            await first.StopAsync();
            await first.StopAsync(); // idempotent; dispose after it is a no-op too
            Assert.False(File.Exists(Path.Combine(first.DataDirectory, "pgdata", "postmaster.pid")));
        }

        var log = new ListLogger();
        await using var second = await StartAsync(dir, throwaway: true, log);
        var pgVersion = Path.Combine(second.DataDirectory, "pgdata", "PG_VERSION");
        var pgVersionWritten = File.GetLastWriteTimeUtc(pgVersion);

        Assert.Equal(42, await ScalarAsync(second.ConnectionString, "SELECT v FROM kept"));
        Assert.DoesNotContain(log.Messages, m => m.Contains("initdb", StringComparison.Ordinal));
        Assert.Equal(pgVersionWritten, File.GetLastWriteTimeUtc(pgVersion));
        Assert.Equal(firstPort, second.Port); // remembered in <dir>/port
        Assert.Contains(log.Messages, m => m == $"PostgreSQL started on 127.0.0.1:{second.Port} ({second.DataDirectory})");
    }

    [Fact]
    public async Task StartAsync_RemovesStalePidFile_WhenItsPidIsDead()
    {
        var dir = TempDir();
        string dataDirectory;
        await using (var first = await StartAsync(dir))
        {
            dataDirectory = first.DataDirectory;
        }

        // A crash leaves postmaster.pid behind with the pid of a process that is gone.
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        await gone.WaitForExitAsync();
        var pgData = Path.Combine(dataDirectory, "pgdata");
        await File.WriteAllTextAsync(Path.Combine(pgData, "postmaster.pid"), $"{gone.Id}\n{pgData}\n1700000000\n5432\n");

        await using var cluster = await StartAsync(dir, throwaway: true);
        Assert.Equal(1, await ScalarAsync(cluster.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task StartAsync_StopsPreviousServer_WhenOneIsStillRunningOnSameDirectory()
    {
        var dir = TempDir();

        // An earlier process that never stopped its cluster (killed without cleanup).
        await using var abandoned = await StartAsync(dir);
        var pidFile = Path.Combine(abandoned.DataDirectory, "pgdata", "postmaster.pid");
        var oldPid = int.Parse((await File.ReadAllLinesAsync(pidFile))[0], System.Globalization.CultureInfo.InvariantCulture);

        await using var cluster = await StartAsync(dir, throwaway: true);
        var newPid = int.Parse((await File.ReadAllLinesAsync(pidFile))[0], System.Globalization.CultureInfo.InvariantCulture);

        Assert.NotEqual(oldPid, newPid);
        Assert.False(IsAlive(oldPid));
        Assert.Equal(1, await ScalarAsync(cluster.ConnectionString, "SELECT 1"));
    }

    [Fact]
    public async Task StartAsync_RelocatesToVarLibPlatform_WhenDirectoryIsUnderRoot()
    {
        // As root the cluster runs as postgres, which cannot traverse /root (mode 700): it moves to /var/lib/platform/<hash>.
        // Not root: a private directory of the current user works in place.
        var parent = IsRoot && Directory.Exists("/root") ? "/root" : Directory.CreateTempSubdirectory("platform-private-").FullName;
        if (!OperatingSystem.IsWindows() && parent != "/root")
        {
            File.SetUnixFileMode(parent, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var requested = Path.Combine(parent, "platform-test-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            await using var cluster = await StartAsync(requested, throwaway: true);
            Assert.Equal(1, await ScalarAsync(cluster.ConnectionString, "SELECT 1"));
            if (IsRoot)
            {
                var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(requested)))[..12];
                Assert.StartsWith("/var/lib/platform/", cluster.DataDirectory, StringComparison.Ordinal);
                Assert.Equal(Path.Combine("/var/lib/platform", hash), cluster.DataDirectory);
                Assert.False(Directory.Exists(requested));
            }
            else
            {
                Assert.Equal(requested, cluster.DataDirectory);
            }
        }
        finally
        {
            if (parent == "/root")
            {
                if (Directory.Exists(requested))
                {
                    Directory.Delete(requested, recursive: true);
                }
            }
            else
            {
                Directory.Delete(parent, recursive: true);
            }
        }
    }

    [Fact]
    public async Task StartAsync_ThrowsWithFix_WhenBinariesAreMissing()
    {
        var empty = Directory.CreateTempSubdirectory("platform-nobin-").FullName;
        try
        {
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
                PostgresCluster.StartAsync(new PostgresClusterOptions(TempDir()) { BinDirectory = empty }, NullLogger.Instance, CancellationToken.None));
            Assert.Equal(
                "PostgreSQL binaries not found: install PostgreSQL 15 (apt-get install postgresql) or set Platform:PostgresBin, or give ConnectionStrings:Platform.",
                error.Message);
        }
        finally
        {
            Directory.Delete(empty, recursive: true);
        }
    }

    [Fact]
    public void PostgresBinariesFind_ReturnsNull_WhenConfiguredDirectoryLacksPgCtl()
    {
        var dir = Directory.CreateTempSubdirectory("platform-nobin-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "initdb"), string.Empty);
            Assert.Null(PostgresBinaries.Find(dir));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void PostgresBinariesFind_ReturnsDirectoryWithPgCtl_WhenNothingIsConfigured()
    {
        var bin = PostgresBinaries.Find(null);
        Assert.NotNull(bin);
        Assert.True(File.Exists(Path.Combine(bin, "pg_ctl")));
        Assert.True(File.Exists(Path.Combine(bin, "initdb")));
        Assert.Equal(bin, PostgresBinaries.Find(bin));
    }

    private sealed class ListLogger : ILogger
    {
        private readonly ConcurrentQueue<string> messages = new();

        public IReadOnlyCollection<string> Messages => messages;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            messages.Enqueue(formatter(state, exception));
    }
}

/// <summary>Tests on the shared throwaway cluster of the "postgres" collection.</summary>
[Collection("postgres")]
public sealed class PostgresClusterSharedTests(PostgresFixture postgres)
{
    private static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false");
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        return await cmd.ExecuteScalarAsync();
    }

    [Fact]
    public async Task StartAsync_AcceptsQueriesOnLoopback_WhenStarted()
    {
        var cluster = postgres.Cluster;
        Assert.Equal("platform", await ScalarAsync(cluster.ConnectionString, "SELECT current_database()"));
        Assert.Equal("UTF8", await ScalarAsync(cluster.ConnectionString, "SHOW server_encoding"));
        Assert.Equal("200", await ScalarAsync(cluster.ConnectionString, "SHOW max_connections"));
        Assert.Equal("127.0.0.1", await ScalarAsync(cluster.ConnectionString, "SHOW listen_addresses"));
        Assert.Equal(cluster.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), (await File.ReadAllTextAsync(Path.Combine(cluster.DataDirectory, "port"))).Trim());
        Assert.True(File.Exists(Path.Combine(cluster.DataDirectory, "pgdata", "PG_VERSION")));
        Assert.True(File.Exists(Path.Combine(cluster.DataDirectory, "postgres.log")));
        Assert.Contains($"Port={cluster.Port}", cluster.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateDatabaseAsync_CreatesDatabaseOnce_WhenCalledTwice()
    {
        var cluster = postgres.Cluster;
        var name = "extra_" + Guid.NewGuid().ToString("N")[..8];
        await cluster.CreateDatabaseAsync(name, CancellationToken.None);
        await cluster.CreateDatabaseAsync(name, CancellationToken.None);
        Assert.Equal(name, await ScalarAsync(cluster.ConnectionStringFor(name), "SELECT current_database()"));
    }

    [Theory]
    [InlineData("bad; drop")]
    [InlineData("Upper")]
    [InlineData("1starts_with_digit")]
    [InlineData("")]
    public async Task CreateDatabaseAsync_Throws_WhenNameIsInvalid(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => postgres.Cluster.CreateDatabaseAsync(name, CancellationToken.None));
    }

    [Fact]
    public async Task CreateDatabaseAsync_ReturnsFreshDatabase_WhenFixtureIsAsked()
    {
        var first = await postgres.CreateDatabaseAsync();
        var second = await postgres.CreateDatabaseAsync();
        Assert.NotEqual(first, second);
        var name = (string)(await ScalarAsync(first, "SELECT current_database()"))!;
        Assert.Matches("^t_[0-9a-f]{8}$", name);
        Assert.Equal(0L, await ScalarAsync(first, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"));
    }
}
