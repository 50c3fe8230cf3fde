namespace Platform.Runtime.Execution.Organisation;

/// <summary>A department with how many users (active or not) and direct child departments it has.</summary>
public sealed record OrgDepartment
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public string? NameEn { get; init; }

    /// <summary>The parent department, or null for a top-level one.</summary>
    public string? ParentKey { get; init; }

    public int Sort { get; init; }

    public long UserCount { get; init; }

    public long ChildCount { get; init; }
}
