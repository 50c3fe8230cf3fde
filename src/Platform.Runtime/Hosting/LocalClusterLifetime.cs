namespace Platform.Runtime.Hosting;

/// <summary>Stops the local cluster when the host stops (Ctrl+C), after everything else has shut down.</summary>
public sealed class LocalClusterLifetime(PostgresCluster cluster, ILogger<LocalClusterLifetime> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await cluster.StopAsync();
        logger.LogInformation("PostgreSQL stopped ({Directory})", cluster.DataDirectory);
    }
}
