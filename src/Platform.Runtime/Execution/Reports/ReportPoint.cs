namespace Platform.Runtime.Execution.Reports;

/// <summary>One chart point: its category, value, and the dimension values it stands for (what drill-down filters on).</summary>
public sealed record ReportPoint(string? X, string? Label, object? Value, IReadOnlyDictionary<string, string?> Point);
