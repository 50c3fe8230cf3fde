namespace Platform.Designer.Services;

/// <summary>
/// One dashboard widget with its report's data, or the error that stopped it. <see cref="Parameters"/> are the keys of the
/// report's viewer parameters: a dashboard filter with another key does not reach this widget.
/// </summary>
public sealed record WidgetView(
    string Key,
    string Report,
    string Title,
    string Chart,
    int X,
    int Y,
    int W,
    int H,
    IReadOnlyList<ColumnView> Columns,
    IReadOnlyList<IReadOnlyDictionary<string, object?>> Rows,
    IReadOnlyList<SeriesView> Series,
    string? Source,
    double Milliseconds,
    string? Error)
{
    /// <summary>The report's viewer parameter keys (period, region, …).</summary>
    public IReadOnlyList<string> Parameters { get; init; } = [];
}
