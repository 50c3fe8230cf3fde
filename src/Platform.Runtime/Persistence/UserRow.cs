namespace Platform.Runtime.Persistence;

/// <summary>A platform user; the password is hashed with ASP.NET Core Identity's PasswordHasher.</summary>
public sealed class UserRow
{
    public Guid Id { get; set; }

    public required string UserName { get; set; }

    public required string DisplayName { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    public required string PasswordHash { get; set; }

    public string[] Roles { get; set; } = [];

    public bool IsActive { get; set; } = true;

    /// <summary>The department key (see the departments table), or null.</summary>
    public string? Department { get; set; }

    /// <summary>Outside the company (a service provider): sees only what is granted to their roles by name.</summary>
    public bool IsExternal { get; set; }
    /// <summary>Carried by every token and cookie of the user; a new value (password change, deactivation, revoke all) ends them all.</summary>
    public string SecurityStamp { get; set; } = NewSecurityStamp();

    public DateTimeOffset CreatedAt { get; set; }

    public static string NewSecurityStamp() => Guid.NewGuid().ToString("N");
}
