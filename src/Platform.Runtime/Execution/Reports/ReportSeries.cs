namespace Platform.Runtime.Execution.Reports;

/// <summary>One chart series: a measure (or, with two dimensions, one value of the second dimension) over the first dimension's values.</summary>
public sealed record ReportSeries(string Key, string Name, string Measure, string? Stack, IReadOnlyList<ReportPoint> Data);
