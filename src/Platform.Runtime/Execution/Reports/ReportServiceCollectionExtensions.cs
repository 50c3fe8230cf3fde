namespace Platform.Runtime.Execution.Reports;

/// <summary>Registers the report engine: the service that runs reports and dashboards, the rollup and projection keepers and the scheduled e-mails.</summary>
public static class ReportServiceCollectionExtensions
{
    public static IServiceCollection AddPlatformReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportRollups>();
        services.AddSingleton<ReportProjections>();
        services.AddSingleton<ReportService>();
        services.AddSingleton<ReportSchedules>();
        return services;
    }
}
