namespace Platform.Runtime.Execution.Reports;

/// <summary>A dashboard computed in one call: every widget's data under the same filters.</summary>
public sealed record DashboardData(string Dashboard, string Name, IReadOnlyList<Core.Reports.Definitions.DashboardFilter> Filters, IReadOnlyList<DashboardWidgetData> Widgets, double Milliseconds);
