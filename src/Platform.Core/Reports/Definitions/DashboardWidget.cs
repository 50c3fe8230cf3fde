namespace Platform.Core.Reports.Definitions;

/// <summary>One report placed on the dashboard grid (x, y, w, h in grid cells; 12 columns).</summary>
public sealed record DashboardWidget
{
    public required string Key { get; init; }

    public required string Report { get; init; }

    public string? Title { get; init; }

    /// <summary>Overrides the report's chart kind on this dashboard.</summary>
    public string? Chart { get; init; }

    public int X { get; init; }

    public int Y { get; init; }

    public int W { get; init; } = 6;

    public int H { get; init; } = 4;
}
