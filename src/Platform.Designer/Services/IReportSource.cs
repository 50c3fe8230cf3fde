namespace Platform.Designer.Services;

/// <summary>What dashboards need: their widgets' data under the chosen filters and the records behind a point. The runtime implements it.</summary>
public interface IReportSource
{
    Task<IReadOnlyList<DashboardCard>> ListDashboardsAsync(string app, CancellationToken ct);

    Task<DashboardView?> DashboardAsync(string app, string dashboard, IReadOnlyDictionary<string, string> filters, CancellationToken ct);

    Task<DrillView> DrillAsync(string app, string report, IReadOnlyDictionary<string, string?> point, string? measure, IReadOnlyDictionary<string, string> filters, int page, CancellationToken ct);
}
