namespace Platform.Runtime.Execution.Reports;

/// <summary>A report compiled to one SQL statement: names only from metadata, values only in <see cref="Parameters"/> (<c>@p0</c> …).</summary>
public sealed record CompiledReport(string Sql, IReadOnlyDictionary<string, object?> Parameters, IReadOnlyList<ReportColumn> Columns);
