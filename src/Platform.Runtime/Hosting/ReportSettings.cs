namespace Platform.Runtime.Hosting;

/// <summary>The <c>Platform:Reports</c> section: how the report engine uses the database's CPUs.</summary>
public sealed class ReportSettings
{
    /// <summary>
    /// How many widget queries of one dashboard run at once (<c>Platform:Reports:DashboardParallelism</c>). Empty or 0: the
    /// engine's default (<see cref="Platform.Runtime.Execution.Reports.ReportService.DefaultDashboardParallelism"/>).
    /// </summary>
    public int? DashboardParallelism { get; set; }
}
