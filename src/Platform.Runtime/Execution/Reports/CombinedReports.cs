namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Several reports compiled into one statement (<see cref="ReportSqlCompiler.CompileCombined"/>): one row whose column
/// <c>w{i}</c> holds the rows of the i-th report as a JSON array of objects (<c>d_…</c>, <c>m_…</c>), with each report's columns.
/// </summary>
public sealed record CombinedReports(string Sql, IReadOnlyDictionary<string, object?> Parameters, IReadOnlyList<IReadOnlyList<ReportColumn>> Columns);
