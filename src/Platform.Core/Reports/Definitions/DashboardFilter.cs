namespace Platform.Core.Reports.Definitions;

/// <summary>
/// A dashboard-wide filter (date range, region, category …): its value goes to every widget whose report has a
/// parameter with the same key. <see cref="Entity"/> and <see cref="Field"/> name a select field whose options
/// the filter offers.
/// </summary>
public sealed record DashboardFilter
{
    public required string Key { get; init; }

    /// <summary>range (dates) or select.</summary>
    public string Kind { get; init; } = "select";

    public string? Label { get; init; }

    public string? LabelEn { get; init; }

    public string? Entity { get; init; }

    public string? Field { get; init; }
}
