namespace Platform.Designer.Services;

/// <summary>A computed dashboard: its filters (with the options a select offers) and its widgets.</summary>
public sealed record DashboardView(string Key, string Name, IReadOnlyList<DashboardFilterView> Filters, IReadOnlyList<WidgetView> Widgets, double Milliseconds);
