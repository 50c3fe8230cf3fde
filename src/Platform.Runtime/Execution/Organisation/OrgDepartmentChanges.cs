namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// Rename or move a department: a null property stays as it is; an empty <see cref="ParentKey"/> makes it top-level and
/// an empty <see cref="NameEn"/> clears the English name. It cannot move under itself or one of its descendants.
/// </summary>
public sealed record OrgDepartmentChanges
{
    public string? Name { get; init; }

    public string? NameEn { get; init; }

    public string? ParentKey { get; init; }

    public int? Sort { get; init; }
}
