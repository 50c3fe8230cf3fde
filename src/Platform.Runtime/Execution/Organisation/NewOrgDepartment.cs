namespace Platform.Runtime.Execution.Organisation;

/// <summary>A department to create; without <see cref="Sort"/> it goes after its siblings.</summary>
public sealed record NewOrgDepartment
{
    public string? Key { get; init; }

    public string? Name { get; init; }

    public string? NameEn { get; init; }

    public string? ParentKey { get; init; }

    public int? Sort { get; init; }
}
