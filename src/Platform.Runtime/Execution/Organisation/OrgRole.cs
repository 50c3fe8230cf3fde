namespace Platform.Runtime.Execution.Organisation;

/// <summary>A role with the number of users (active or not) who hold it.</summary>
public sealed record OrgRole
{
    public required string Key { get; init; }

    public required string Name { get; init; }

    public string? NameEn { get; init; }

    public string? Description { get; init; }

    /// <summary>A role for people outside the company (service providers).</summary>
    public bool External { get; init; }

    public long UserCount { get; init; }

    /// <summary>A role the platform itself relies on (admin, designer): it cannot be deleted.</summary>
    public bool BuiltIn { get; init; }
}
