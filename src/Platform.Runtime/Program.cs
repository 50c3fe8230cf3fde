using Platform.Runtime.Api;
using Platform.Runtime.Hosting;
using Platform.Runtime.Ui;

// backup --out file.tar, restore --from file.tar, migrate, demo-data --seed N: the runtime's configuration, no web host.
if (Platform.Runtime.Hosting.Backup.BackupCommand.IsCommand(args))
{
    return await Platform.Runtime.Hosting.Backup.BackupCommand.RunAsync(args);
}

if (MigrateCommand.IsCommand(args))
{
    return await MigrateCommand.RunAsync(args);
}

if (DemoDataCommand.IsCommand(args))
{
    return await DemoDataCommand.RunAsync(args);
}

var builder = WebApplication.CreateBuilder(args);
try
{
    await builder.AddPlatformAsync();
}
catch (InvalidOperationException e)
{
    // No PostgreSQL binaries, a data directory in use, a cluster that will not start: say why and how to fix it.
    Console.Error.WriteLine($"售后服务平台无法启动 / The platform cannot start:\n  {e.Message}");
    return 1;
}

var app = builder.Build();
app.UsePlatform();
app.MapHealthApi();
app.MapAuthApi();
app.MapAppsApi();
app.MapRecordsApi();
app.MapTasksApi();
app.MapMobileApi();
app.MapFlowsApi();
app.MapRulesApi();
app.MapReportsApi();
app.MapDashboardsApi();
app.MapExportsApi();
app.MapPrintApi();
app.MapNotificationsApi();
app.MapCalendarsApi();
app.MapPublicApi();
app.MapCustomerApi();
app.MapPublicFormsApi();
app.MapFilesApi();
app.MapHooksApi();
app.MapImportApi();
app.MapConnectorsApi();
app.MapOutboxApi();
app.MapAdminApi();
app.MapOrganisationApi();
app.MapUserAdminApi();
app.MapDraftsApi();
app.MapEntitiesApi();
app.MapBenchApi(app.Configuration);
app.MapOpenApi();
app.MapPlatformUi();

// Taken before the host runs: after RunAsync the service provider is disposed.
var cluster = app.Services.GetService<PostgresCluster>();
try
{
    await app.RunAsync();
}
finally
{
    // Also when the host fails to start (port taken): never leave the local cluster running.
    if (cluster is not null)
    {
        await cluster.StopAsync();
    }
}

return 0;

/// <summary>The runtime host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
