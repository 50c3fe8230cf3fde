namespace Platform.Core.Reports.Definitions;

/// <summary>Widgets (reports) on a 12-column grid with dashboard-wide filters passed to each widget's report.</summary>
public sealed record DashboardDefinition
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public string? NameEn { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<DashboardWidget> Widgets { get; init; } = [];

    public IReadOnlyList<DashboardFilter> Filters { get; init; } = [];
}
