namespace Platform.Core.Reports.Definitions;

/// <summary>
/// A report: rows of <see cref="Entity"/> (or the step visits of <see cref="Flow"/>) grouped by
/// <see cref="Dimensions"/> and summarised by <see cref="Measures"/>, narrowed by fixed <see cref="Filters"/> and
/// by the viewer's <see cref="Parameters"/>. Field paths may follow reference fields (<c>product.category</c>).
/// Immutable; published with its app and compiled to parameterised SQL by the runtime.
/// </summary>
public sealed record ReportDefinition
{
    /// <summary>Stable snake_case key, e.g. <c>return_reasons</c>.</summary>
    public required string Key { get; init; }

    /// <summary>Display name (zh-CN first).</summary>
    public required string Name { get; init; }

    public string? NameEn { get; init; }

    public string? Description { get; init; }

    /// <summary>The entity whose records are counted; exactly one of this and <see cref="Flow"/>.</summary>
    public string? Entity { get; init; }

    /// <summary>A flow whose step visits are the rows (fields: step, enteredAt, leftAt, by, record.*).</summary>
    public string? Flow { get; init; }

    public IReadOnlyList<ReportDimension> Dimensions { get; init; } = [];

    public IReadOnlyList<ReportMeasure> Measures { get; init; } = [];

    /// <summary>Conditions every row must meet.</summary>
    public IReadOnlyList<ReportFilter> Filters { get; init; } = [];

    /// <summary>Filters the viewer chooses (query string <c>?{key}=…</c>, dashboard-wide filters).</summary>
    public IReadOnlyList<ReportParameter> Parameters { get; init; } = [];

    public IReadOnlyList<ReportSort> Sort { get; init; } = [];

    /// <summary>At most this many rows (default 1,000, max 10,000).</summary>
    public int? Limit { get; init; }

    public ReportChart Chart { get; init; } = new();

    /// <summary>Keep incremental daily rollups so dashboards read them instead of the records.</summary>
    public bool Rollup { get; init; }

    /// <summary>Scheduled e-mails of this report.</summary>
    public IReadOnlyList<ReportSchedule> Schedules { get; init; } = [];
}
