namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// A report's answer: <see cref="Columns"/>, <see cref="Rows"/> (each dimension's value under its key and its
/// label under <c>{key}Label</c>, each measure under its key) and chart <see cref="Series"/>.
/// </summary>
public sealed record ReportData(
    string Report,
    string Name,
    string Chart,
    IReadOnlyList<ReportColumn> Columns,
    IReadOnlyList<Dictionary<string, object?>> Rows,
    IReadOnlyList<ReportSeries> Series,
    string Source,
    double Milliseconds);
