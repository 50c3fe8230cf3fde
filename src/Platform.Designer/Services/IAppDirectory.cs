namespace Platform.Designer.Services;

/// <summary>What the UI needs to list apps; the runtime implements it (components never touch the database).</summary>
public interface IAppDirectory
{
    Task<IReadOnlyList<AppCard>> ListAppsAsync(CancellationToken ct);
}
