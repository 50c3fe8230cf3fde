namespace Platform.Runtime.Execution.Reports;

/// <summary>A column of report data: a dimension or a measure, with its label and value type (text, number, date).</summary>
public sealed record ReportColumn(string Key, string Label, string Role, string Type);
