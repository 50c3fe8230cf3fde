using Microsoft.AspNetCore.Components.Authorization;
using Platform.Designer.Services;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Organisation;
using Platform.Runtime.Security;

namespace Platform.Runtime.Ui;

/// <summary>The administration screens' backend: the same user, department and role services as <c>/api/admin</c>, for admins only.</summary>
public sealed class OrganisationAdmin(
    UserAdministration users, DepartmentAdministration departments, RoleAdministration roles, AuthenticationStateProvider authentication) : IOrganisationAdmin
{
    public async Task<AdminUserPage> ListUsersAsync(AdminUserQuery query, CancellationToken ct)
    {
        await AdminAsync();
        var page = await users.ListAsync(
            new OrgUserQuery { Text = query.Text, Department = query.Department, Below = query.Below, Role = query.Role, Active = query.Active, Page = query.Page, PageSize = query.PageSize }, ct);
        return new AdminUserPage(page.Items.Select(View).ToList(), page.Total);
    }

    public async Task<AdminOutcome> CreateUserAsync(AdminUserInput user, string password, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await users.CreateAsync(
            new NewOrgUser
            {
                UserName = user.UserName, DisplayName = user.DisplayName, Password = password, Roles = user.Roles, Department = user.Department,
                Phone = user.Phone, Email = user.Email, External = user.External,
            },
            ct));
    }

    public async Task<AdminOutcome> UpdateUserAsync(AdminUserInput user, CancellationToken ct)
    {
        var actor = await AdminAsync();
        return Outcome(await users.UpdateAsync(
            user.UserName,
            new OrgUserChanges
            {
                DisplayName = user.DisplayName, Roles = user.Roles, Department = user.Department ?? string.Empty, Phone = user.Phone ?? string.Empty,
                Email = user.Email ?? string.Empty, External = user.External,
            },
            actor, ct));
    }

    public async Task<AdminOutcome> SetUserActiveAsync(string userName, bool active, CancellationToken ct)
    {
        var actor = await AdminAsync();
        return Outcome(await users.UpdateAsync(userName, new OrgUserChanges { Active = active }, actor, ct));
    }

    public async Task<AdminOutcome> ResetPasswordAsync(string userName, string password, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await users.ResetPasswordAsync(userName, password, ct));
    }

    public async Task<IReadOnlyList<AdminDepartmentView>> ListDepartmentsAsync(CancellationToken ct)
    {
        await AdminAsync();
        return (await departments.ListAsync(ct)).Select(d => new AdminDepartmentView(d.Key, d.Name, d.NameEn, d.ParentKey, d.Sort, d.UserCount, d.ChildCount)).ToList();
    }

    public async Task<AdminOutcome> CreateDepartmentAsync(AdminDepartmentInput department, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await departments.CreateAsync(new NewOrgDepartment { Key = department.Key, Name = department.Name, NameEn = department.NameEn, ParentKey = department.ParentKey }, ct));
    }

    public async Task<AdminOutcome> RenameDepartmentAsync(string key, string name, string? nameEn, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await departments.UpdateAsync(key, new OrgDepartmentChanges { Name = name, NameEn = nameEn ?? string.Empty }, ct));
    }

    public async Task<AdminOutcome> MoveDepartmentAsync(string key, string? parentKey, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await departments.UpdateAsync(key, new OrgDepartmentChanges { ParentKey = parentKey ?? string.Empty }, ct));
    }

    public async Task<AdminOutcome> DeleteDepartmentAsync(string key, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await departments.DeleteAsync(key, ct));
    }

    public async Task<IReadOnlyList<AdminRoleView>> ListRolesAsync(CancellationToken ct)
    {
        await AdminAsync();
        return (await roles.ListAsync(ct)).Select(r => new AdminRoleView(r.Key, r.Name, r.NameEn, r.Description, r.External, r.UserCount, r.BuiltIn)).ToList();
    }

    public async Task<AdminOutcome> CreateRoleAsync(AdminRoleInput role, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await roles.CreateAsync(new NewOrgRole { Key = role.Key, Name = role.Name, NameEn = role.NameEn, Description = role.Description, External = role.External }, ct));
    }

    public async Task<AdminOutcome> UpdateRoleAsync(AdminRoleInput role, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await roles.UpdateAsync(
            role.Key, new OrgRoleChanges { Name = role.Name, NameEn = role.NameEn ?? string.Empty, Description = role.Description ?? string.Empty, External = role.External }, ct));
    }

    public async Task<AdminOutcome> DeleteRoleAsync(string key, CancellationToken ct)
    {
        await AdminAsync();
        return Outcome(await roles.DeleteAsync(key, ct));
    }

    private static AdminUserView View(OrgUser u) =>
        new(u.UserName, u.DisplayName, u.Roles, u.Department, u.DepartmentName, u.DepartmentNameEn, u.Active, u.External, u.Phone, u.Email, u.CreatedAt);

    private static AdminOutcome Outcome<T>(CommandResult<T> result) => result.Outcome switch
    {
        CommandOutcome.Ok => AdminOutcome.Ok,
        CommandOutcome.Invalid => new AdminOutcome(result.Errors ?? new Dictionary<string, IReadOnlyList<string>>(), null),
        _ => new AdminOutcome(new Dictionary<string, IReadOnlyList<string>>(), result.Detail ?? result.Outcome.ToString()),
    };

    /// <summary>The administrator signed in to the circuit (the admin policy of the API, checked again for every call).</summary>
    private async Task<string> AdminAsync()
    {
        var user = (await authentication.GetAuthenticationStateAsync()).User;
        if (!user.IsInRole(PlatformRoles.Admin))
        {
            throw new UnauthorizedAccessException("Organisation administration needs the admin role / 需要管理员角色");
        }

        return Api.RecordsEndpoints.UserName(user);
    }
}
