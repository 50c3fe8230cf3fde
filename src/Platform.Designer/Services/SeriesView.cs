namespace Platform.Designer.Services;

/// <summary>
/// A chart series and its points. <see cref="Unit"/> says what its figures are (<c>%</c>, <c>count</c>, <c>hours</c>,
/// <c>minutes</c>, <c>days</c>, <c>money</c>, or null): series of two units get an axis each.
/// </summary>
public sealed record SeriesView(string Key, string Name, string? Stack, IReadOnlyList<PointView> Points)
{
    /// <summary>What the figures are, for axes and their labels; null when unknown.</summary>
    public string? Unit { get; init; }

    /// <summary>The series' colour from metadata (a select option's), or null to pick one by <see cref="Key"/>.</summary>
    public string? Color { get; init; }
}
