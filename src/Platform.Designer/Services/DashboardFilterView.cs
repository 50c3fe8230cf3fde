namespace Platform.Designer.Services;

/// <summary>A dashboard-wide filter: a date range or a select with its options (value, label).</summary>
public sealed record DashboardFilterView(string Key, string Kind, string Label, IReadOnlyList<(string Value, string Label)> Options);
