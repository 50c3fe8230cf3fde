namespace Platform.Designer.Services;

/// <summary>A chart series and its points.</summary>
public sealed record SeriesView(string Key, string Name, string? Stack, IReadOnlyList<PointView> Points);
