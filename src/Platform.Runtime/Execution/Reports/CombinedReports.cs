namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Several reports compiled into one statement (<see cref="ReportSqlCompiler.CompileCombined"/>): one row whose column
/// <c>w{k}</c> holds the rows of the k-th included report as a JSON array of objects (<c>d_…</c>, <c>m_…</c>), with each report's
/// columns; <see cref="Included"/> are the indexes (into the reports given) of the reports it answers, in that order.
/// </summary>
public sealed record CombinedReports(string Sql, IReadOnlyDictionary<string, object?> Parameters, IReadOnlyList<IReadOnlyList<ReportColumn>> Columns, IReadOnlyList<int> Included);
