namespace Platform.Runtime.Hosting;

/// <summary>
/// Decides where the data lives: <c>ConnectionStrings:Platform</c> when given, else a private PostgreSQL
/// cluster started from the machine's binaries in <c>Platform:DataDir</c>.
/// </summary>
public static class LocalDatabase
{
    public static async Task<(PlatformMode Mode, PostgresCluster? Cluster)> ResolveAsync(
        IConfiguration configuration, PlatformSettings settings, ILogger logger, CancellationToken ct)
    {
        var external = configuration.GetConnectionString("Platform");
        if (!string.IsNullOrWhiteSpace(external))
        {
            return (new PlatformMode(false, external, null), null);
        }

        var directory = Path.GetFullPath(settings.DataDir);
        var cluster = await PostgresCluster.StartAsync(
            new PostgresClusterOptions(directory) { BinDirectory = settings.PostgresBin }, logger, ct);
        return (new PlatformMode(true, cluster.ConnectionString, cluster.DataDirectory), cluster);
    }
}
