namespace Platform.Designer.Services;

/// <summary>
/// The administration screens' backend (users, departments, roles; admins only). The runtime implements it on the same
/// services as <c>/api/admin</c>, so a screen and the API refuse the same things with the same messages.
/// </summary>
public interface IOrganisationAdmin
{
    Task<AdminUserPage> ListUsersAsync(AdminUserQuery query, CancellationToken ct);

    /// <summary>Creates the user with <paramref name="password"/>; errors name the input's properties (<c>userName</c>, <c>roles</c>, …).</summary>
    Task<AdminOutcome> CreateUserAsync(AdminUserInput user, string password, CancellationToken ct);

    /// <summary>Saves display name, roles, department, contact and external flag (everything but the user name and password).</summary>
    Task<AdminOutcome> UpdateUserAsync(AdminUserInput user, CancellationToken ct);

    Task<AdminOutcome> SetUserActiveAsync(string userName, bool active, CancellationToken ct);

    Task<AdminOutcome> ResetPasswordAsync(string userName, string password, CancellationToken ct);

    /// <summary>Every department (flat; <see cref="AdminDepartmentView.ParentKey"/> makes the tree).</summary>
    Task<IReadOnlyList<AdminDepartmentView>> ListDepartmentsAsync(CancellationToken ct);

    Task<AdminOutcome> CreateDepartmentAsync(AdminDepartmentInput department, CancellationToken ct);

    Task<AdminOutcome> RenameDepartmentAsync(string key, string name, string? nameEn, CancellationToken ct);

    /// <summary>Moves the department under <paramref name="parentKey"/> (null: top level); never under itself or a descendant.</summary>
    Task<AdminOutcome> MoveDepartmentAsync(string key, string? parentKey, CancellationToken ct);

    /// <summary>Deletes an empty department; otherwise <see cref="AdminOutcome.Detail"/> says what is still in it.</summary>
    Task<AdminOutcome> DeleteDepartmentAsync(string key, CancellationToken ct);

    Task<IReadOnlyList<AdminRoleView>> ListRolesAsync(CancellationToken ct);

    Task<AdminOutcome> CreateRoleAsync(AdminRoleInput role, CancellationToken ct);

    Task<AdminOutcome> UpdateRoleAsync(AdminRoleInput role, CancellationToken ct);

    /// <summary>Deletes a role nobody holds; otherwise <see cref="AdminOutcome.Detail"/> says who holds it.</summary>
    Task<AdminOutcome> DeleteRoleAsync(string key, CancellationToken ct);
}
