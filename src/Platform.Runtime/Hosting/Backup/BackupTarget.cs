using Npgsql;

namespace Platform.Runtime.Hosting.Backup;

/// <summary>
/// What a backup reads or a restore writes: the database the runtime would use (<c>ConnectionStrings:Platform</c>, or the
/// local cluster in <c>Platform:DataDir</c>, started for the command and stopped after it) and the files directory
/// (<c>Platform:FilesDir</c>, default <c>{DataDir}/files</c>, as the FileStore resolves it).
/// </summary>
public sealed class BackupTarget : IAsyncDisposable
{
    private readonly PostgresCluster? cluster;

    private BackupTarget(string connectionString, string filesDirectory, string? toolsDirectory, PostgresCluster? cluster)
    {
        ConnectionString = connectionString;
        FilesDirectory = filesDirectory;
        ToolsDirectory = toolsDirectory;
        this.cluster = cluster;
    }

    public string ConnectionString { get; }

    public string FilesDirectory { get; }

    /// <summary><c>Platform:PostgresBin</c>: where pg_dump and pg_restore are, when not found by themselves.</summary>
    public string? ToolsDirectory { get; }

    public string DatabaseName => new NpgsqlConnectionStringBuilder(ConnectionString).Database ?? "?";

    public static async Task<BackupTarget> OpenAsync(IConfiguration configuration, PlatformSettings settings, ILogger logger, CancellationToken ct)
    {
        PlatformMode mode;
        PostgresCluster? cluster;
        try
        {
            (mode, cluster) = await LocalDatabase.ResolveAsync(configuration, settings, logger, ct);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("in use by another platform process", StringComparison.Ordinal))
        {
            throw new InvalidOperationException(
                e.Message + " In local mode the runtime must be stopped for backup and restore; with an external database (ConnectionStrings:Platform) back up while it runs.", e);
        }

        var files = Path.GetFullPath(settings.FilesDir ?? Path.Combine(settings.DataDir, "files"));
        return new BackupTarget(mode.ConnectionString, files, settings.PostgresBin, cluster);
    }

    public async ValueTask DisposeAsync()
    {
        if (cluster is not null)
        {
            await cluster.StopAsync();
        }
    }
}
