namespace Platform.Designer.Services;

/// <summary>One dashboard widget with its report's data, or the error that stopped it.</summary>
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
    string? Error);
