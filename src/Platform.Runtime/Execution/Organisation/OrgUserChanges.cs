namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// What to change on a user: a null property stays as it is; an empty string clears <see cref="Department"/>,
/// <see cref="Phone"/> and <see cref="Email"/>. A new department does not move the user's existing records: they keep the
/// department they were created in (records.owner_department).
/// </summary>
public sealed record OrgUserChanges
{
    public string? DisplayName { get; init; }

    public IReadOnlyList<string>? Roles { get; init; }

    public string? Department { get; init; }

    public bool? Active { get; init; }

    public bool? External { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }
}
