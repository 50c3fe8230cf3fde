namespace Platform.Designer.Services;

/// <summary>A chart point: its category label, value and the dimension values drill-down filters on.</summary>
public sealed record PointView(string? Label, decimal? Value, IReadOnlyDictionary<string, string?> Point)
{
    /// <summary>The category's stored value (a select option's value, a reference's id), which picks a slice's colour.</summary>
    public string? Key { get; init; }

    /// <summary>The slice's colour from metadata (a select option's), or null to pick one by <see cref="Key"/>.</summary>
    public string? Color { get; init; }
}
