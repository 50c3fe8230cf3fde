namespace Platform.Runtime.Execution.Reports;

/// <summary>One widget of a dashboard answer: where it sits and its report's data (or the problem that stopped it).</summary>
public sealed record DashboardWidgetData(string Key, string Report, string Title, string Chart, int X, int Y, int W, int H, ReportData? Data, string? Error);
