using Platform.Runtime.Api;
using Platform.Runtime.Hosting;
using Platform.Runtime.Ui;

var builder = WebApplication.CreateBuilder(args);
await builder.AddPlatformAsync();

var app = builder.Build();
app.UsePlatform();
app.MapHealthApi();
app.MapAuthApi();
app.MapAppsApi();
app.MapRecordsApi();
app.MapBenchApi(app.Configuration);
app.MapOpenApi();
app.MapPlatformUi();
try
{
    await app.RunAsync();
}
finally
{
    // Also when the host fails to start (port taken): never leave the local cluster running.
    if (app.Services.GetService<PostgresCluster>() is { } cluster)
    {
        await cluster.StopAsync();
    }
}

/// <summary>The runtime host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
