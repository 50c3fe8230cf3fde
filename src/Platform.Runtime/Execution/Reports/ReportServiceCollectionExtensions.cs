namespace Platform.Runtime.Execution.Reports;

/// <summary>Registers the report engine: the service that runs reports and dashboards and the rollup keeper.</summary>
public static class ReportServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportRollups>();
        services.AddSingleton<ReportService>();
        return services;
    }
}
