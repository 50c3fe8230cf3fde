namespace Platform.Core.Access;

/// <summary>
/// Who asks: the user, their roles and department, and the departments at or below theirs (for
/// <see cref="RowScope.DepartmentTree"/>). External users (service providers) get only what is granted to them by name.
/// </summary>
public sealed record Caller
{
    public required string UserName { get; init; }

    public IReadOnlySet<string> Roles { get; init; } = new HashSet<string>();

    public string? Department { get; init; }

    /// <summary>The user's department and every department below it; empty without a department.</summary>
    public IReadOnlySet<string> DepartmentTree { get; init; } = new HashSet<string>();

    /// <summary>Outside the company (a service provider): entities without permissions are closed to them.</summary>
    public bool IsExternal { get; init; }

    /// <summary>Platform administrators see and change everything.</summary>
    public bool IsAdmin => Roles.Contains(AdminRole);

    /// <summary>The role that bypasses entity permissions.</summary>
    public const string AdminRole = "admin";
}
