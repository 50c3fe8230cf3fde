namespace Platform.Runtime.Execution.Reports;

/// <summary>Registers the report engine: the service that runs reports and dashboards, the rollup keeper and the scheduled e-mails.</summary>
public static class ReportServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportRollups>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<ReportSchedules>();
        return services;
    }
}
