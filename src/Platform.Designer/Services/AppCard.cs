namespace Platform.Designer.Services;

/// <summary>An app as shown on the home page.</summary>
public sealed record AppCard(string Key, string Name, string? NameEn, string? Description, int Version, IReadOnlyList<EntityCard> Entities)
{
    /// <summary>The app's dashboards.</summary>
    public IReadOnlyList<DashboardCard> Dashboards { get; init; } = [];
}
