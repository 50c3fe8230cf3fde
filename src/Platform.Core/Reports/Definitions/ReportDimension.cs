namespace Platform.Core.Reports.Definitions;

/// <summary>
/// A grouping: a field (select options and users get their labels, references their display field) or a
/// date/date-time field cut into <see cref="Bucket"/>s (day, week, month, quarter, year; China time).
/// </summary>
public sealed record ReportDimension
{
    public required string Key { get; init; }

    /// <summary>Field path: <c>reason</c>, <c>product.category</c>, <c>createdAt</c>, <c>step</c>, <c>record.region</c>.</summary>
    public required string Field { get; init; }

    /// <summary>For date fields: day, week, month, quarter or year.</summary>
    public string? Bucket { get; init; }

    public string? Label { get; init; }

    public string? LabelEn { get; init; }
}
