namespace Platform.Runtime.Execution.Organisation;

/// <summary>What to change on a role: a null property stays as it is; an empty string clears <see cref="NameEn"/> and <see cref="Description"/>.</summary>
public sealed record OrgRoleChanges
{
    public string? Name { get; init; }

    public string? NameEn { get; init; }

    public string? Description { get; init; }

    public bool? External { get; init; }
}
