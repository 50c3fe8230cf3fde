namespace Platform.Core.Reports.Definitions;

/// <summary>
/// A filter the viewer sets: <c>?{Key}=value</c> (eq), <c>?{Key}=a|b</c> (in) or, for <c>range</c>,
/// <c>?{Key}=2026-01-01..2026-06-30</c> (either end may be empty). Dashboards pass their filters to the
/// parameters of the same key.
/// </summary>
public sealed record ReportParameter
{
    public required string Key { get; init; }

    /// <summary>The field path the value applies to.</summary>
    public required string Field { get; init; }

    /// <summary>eq (default; a|b means any of), contains or range.</summary>
    public string Op { get; init; } = "eq";

    public string? Label { get; init; }

    public string? LabelEn { get; init; }
}
