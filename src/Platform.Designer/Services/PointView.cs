namespace Platform.Designer.Services;

/// <summary>A chart point: its category label, value and the dimension values drill-down filters on.</summary>
public sealed record PointView(string? Label, decimal? Value, IReadOnlyDictionary<string, string?> Point);
