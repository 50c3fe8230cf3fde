namespace Platform.Runtime.Execution.Organisation;

/// <summary>A user as administrators see it (never the password hash).</summary>
public sealed record OrgUser
{
    public required string UserName { get; init; }

    public required string DisplayName { get; init; }

    public IReadOnlyList<string> Roles { get; init; } = [];

    /// <summary>The department key, or null.</summary>
    public string? Department { get; init; }

    public string? DepartmentName { get; init; }

    public string? DepartmentNameEn { get; init; }

    public bool Active { get; init; }

    public bool External { get; init; }

    public string? Phone { get; init; }

    public string? Email { get; init; }

    public DateTimeOffset CreatedAt { get; init; }
}
