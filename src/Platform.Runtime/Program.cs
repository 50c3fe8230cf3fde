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
app.MapOpenApi();
app.MapPlatformUi();
await app.RunAsync();

/// <summary>The runtime host's entry point (public for WebApplicationFactory).</summary>
public partial class Program;
