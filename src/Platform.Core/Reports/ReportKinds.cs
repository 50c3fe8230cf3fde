namespace Platform.Core.Reports;

/// <summary>The stable names report definitions use for measures, buckets, operators and charts.</summary>
public static class ReportKinds
{
    public static readonly IReadOnlySet<string> Measures = new HashSet<string>(StringComparer.Ordinal) { "count", "sum", "avg", "min", "max", "distinct", "ratio", "duration" };

    public static readonly IReadOnlySet<string> Buckets = new HashSet<string>(StringComparer.Ordinal) { "day", "week", "month", "quarter", "year" };

    public static readonly IReadOnlySet<string> FilterOps = new HashSet<string>(StringComparer.Ordinal) { "eq", "ne", "gt", "ge", "lt", "le", "in", "contains", "empty", "notEmpty", "within", "previous" };

    public static readonly IReadOnlySet<string> ParameterOps = new HashSet<string>(StringComparer.Ordinal) { "eq", "contains", "range" };

    public static readonly IReadOnlySet<string> Charts = new HashSet<string>(StringComparer.Ordinal) { "table", "pivot", "line", "bar", "stacked-bar", "pie", "kpi", "funnel" };

    public static readonly IReadOnlySet<string> Units = new HashSet<string>(StringComparer.Ordinal) { "minutes", "hours", "days" };

    public static readonly IReadOnlySet<string> DurationAggregates = new HashSet<string>(StringComparer.Ordinal) { "avg", "sum", "min", "max" };

    /// <summary>Rows a report answers when it sets no limit, and the most it may ask for.</summary>
    public const int DefaultLimit = 1000;

    public const int MaxLimit = 10000;

    public const int MaxDimensions = 3;
}
