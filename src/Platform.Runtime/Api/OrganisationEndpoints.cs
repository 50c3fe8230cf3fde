using Microsoft.AspNetCore.Mvc;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Organisation;
using Platform.Runtime.Security;

namespace Platform.Runtime.Api;

/// <summary>
/// Organisation administration (admins only): users, the department tree and roles. Every change applies to this
/// node's permission and flow-assignment caches at once and to other nodes within 10 seconds.
/// </summary>
public static class OrganisationEndpoints
{
    public static RouteGroupBuilder MapOrganisationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/admin").RequireAuthorization(PlatformRoles.AdminPolicy).WithTags("Organisation");
        group.MapGet("/users", ListUsersAsync).WithName("ListUsers");
        group.MapGet("/users/{userName}", GetUserAsync).WithName("GetUser");
        group.MapPost("/users", CreateUserAsync).WithName("CreateUser");
        group.MapPatch("/users/{userName}", UpdateUserAsync).WithName("UpdateUser");
        group.MapPost("/users/{userName}/password", ResetPasswordAsync).WithName("ResetUserPassword");
        group.MapGet("/departments", ListDepartmentsAsync).WithName("ListDepartments");
        group.MapPost("/departments", CreateDepartmentAsync).WithName("CreateDepartment");
        group.MapPatch("/departments/{key}", UpdateDepartmentAsync).WithName("UpdateDepartment");
        group.MapDelete("/departments/{key}", DeleteDepartmentAsync).WithName("DeleteDepartment");
        group.MapGet("/roles", ListRolesAsync).WithName("ListRoles");
        group.MapPost("/roles", CreateRoleAsync).WithName("CreateRole");
        group.MapPatch("/roles/{key}", UpdateRoleAsync).WithName("UpdateRole");
        group.MapDelete("/roles/{key}", DeleteRoleAsync).WithName("DeleteRole");
        return group;
    }

    /// <summary><c>?text=&amp;department=&amp;below=true&amp;role=&amp;active=&amp;page=&amp;pageSize=</c> → <c>{ items, total }</c>.</summary>
    private static async Task<IResult> ListUsersAsync(
        [FromServices] UserAdministration users, string? text, string? department, bool? below, string? role, bool? active, int? page, int? pageSize, CancellationToken ct) =>
        TypedResults.Ok(await users.ListAsync(
            new OrgUserQuery { Text = text, Department = department, Below = below ?? false, Role = role, Active = active, Page = page ?? 1, PageSize = pageSize ?? 50 }, ct));

    private static async Task<IResult> GetUserAsync(string userName, [FromServices] UserAdministration users, CancellationToken ct) =>
        await users.GetAsync(userName, ct) is { } user ? TypedResults.Ok(user) : Problems.NotFound($"没有用户 '{userName}' / no user '{userName}'");

    /// <summary><c>{ userName, displayName, password, roles, department, phone, email, external }</c> → 201 with the user.</summary>
    private static async Task<IResult> CreateUserAsync(HttpContext http, [FromServices] UserAdministration users, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var user = new NewOrgUser
        {
            UserName = body!.String("userName"), DisplayName = body.String("displayName"), Password = body.String("password"),
            Roles = body.Strings("roles") ?? [], Department = body.String("department"), Phone = body.String("phone"), Email = body.String("email"),
            External = body.Bool("external") ?? false,
        };
        return body.Errors.Count > 0
            ? Problems.Validation(body.Errors)
            : Created(await users.CreateAsync(user, ct), u => $"/api/admin/users/{u.UserName}");
    }

    /// <summary>Any of <c>{ displayName, roles, department, active, external, phone, email }</c>; null clears department, phone and e-mail.</summary>
    private static async Task<IResult> UpdateUserAsync(string userName, HttpContext http, [FromServices] UserAdministration users, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var changes = new OrgUserChanges
        {
            DisplayName = body!.Has("displayName") ? body.String("displayName") ?? string.Empty : null, Roles = body.Strings("roles"),
            Department = body.Clearable("department"), Active = body.Bool("active"), External = body.Bool("external"),
            Phone = body.Clearable("phone"), Email = body.Clearable("email"),
        };
        if (body.Errors.Count > 0)
        {
            return Problems.Validation(body.Errors);
        }

        var result = await users.UpdateAsync(userName, changes, RecordsEndpoints.UserName(http.User), ct);

        // A deactivation changed the user's security stamp: this node stops trusting its cached session checks now.
        http.RequestServices.GetRequiredService<Security.SessionGuard>().Forget();
        return Answer(result);
    }

    /// <summary><c>{ password }</c> → 204.</summary>
    private static async Task<IResult> ResetPasswordAsync(string userName, HttpContext http, [FromServices] UserAdministration users, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var password = body!.String("password");
        if (body.Errors.Count > 0)
        {
            return Problems.Validation(body.Errors);
        }

        var result = await users.ResetPasswordAsync(userName, password, ct);
        http.RequestServices.GetRequiredService<Security.SessionGuard>().Forget();
        return result.Outcome == CommandOutcome.Ok ? TypedResults.NoContent() : RecordsEndpoints.ToProblem(result);
    }

    private static async Task<IResult> ListDepartmentsAsync([FromServices] DepartmentAdministration departments, CancellationToken ct) =>
        TypedResults.Ok(DepartmentNodeDto.Tree(await departments.ListAsync(ct)));

    /// <summary><c>{ key, name, nameEn, parentKey, sort }</c> → 201.</summary>
    private static async Task<IResult> CreateDepartmentAsync(HttpContext http, [FromServices] DepartmentAdministration departments, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var department = new NewOrgDepartment
        {
            Key = body!.String("key"), Name = body.String("name"), NameEn = body.String("nameEn"), ParentKey = body.String("parentKey"), Sort = body.Int("sort"),
        };
        return body.Errors.Count > 0
            ? Problems.Validation(body.Errors)
            : Created(await departments.CreateAsync(department, ct), d => $"/api/admin/departments/{d.Key}");
    }

    /// <summary>Rename and/or move: any of <c>{ name, nameEn, parentKey, sort }</c>; <c>parentKey: null</c> makes it top-level.</summary>
    private static async Task<IResult> UpdateDepartmentAsync(string key, HttpContext http, [FromServices] DepartmentAdministration departments, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var changes = new OrgDepartmentChanges
        {
            Name = body!.Has("name") ? body.String("name") ?? string.Empty : null, NameEn = body.Clearable("nameEn"), ParentKey = body.Clearable("parentKey"), Sort = body.Int("sort"),
        };
        return body.Errors.Count > 0 ? Problems.Validation(body.Errors) : Answer(await departments.UpdateAsync(key, changes, ct));
    }

    private static async Task<IResult> DeleteDepartmentAsync(string key, [FromServices] DepartmentAdministration departments, CancellationToken ct) =>
        Deleted(await departments.DeleteAsync(key, ct));

    private static async Task<IResult> ListRolesAsync([FromServices] RoleAdministration roles, CancellationToken ct) => TypedResults.Ok(await roles.ListAsync(ct));

    /// <summary><c>{ key, name, nameEn, description, external }</c> → 201.</summary>
    private static async Task<IResult> CreateRoleAsync(HttpContext http, [FromServices] RoleAdministration roles, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var role = new NewOrgRole
        {
            Key = body!.String("key"), Name = body.String("name"), NameEn = body.String("nameEn"), Description = body.String("description"), External = body.Bool("external") ?? false,
        };
        return body.Errors.Count > 0 ? Problems.Validation(body.Errors) : Created(await roles.CreateAsync(role, ct), r => $"/api/admin/roles/{r.Key}");
    }

    /// <summary>Any of <c>{ name, nameEn, description, external }</c>; null clears nameEn and description.</summary>
    private static async Task<IResult> UpdateRoleAsync(string key, HttpContext http, [FromServices] RoleAdministration roles, CancellationToken ct)
    {
        var (body, problem) = await ReadAsync(http, ct);
        if (problem is not null)
        {
            return problem;
        }

        var changes = new OrgRoleChanges
        {
            Name = body!.Has("name") ? body.String("name") ?? string.Empty : null, NameEn = body.Clearable("nameEn"), Description = body.Clearable("description"), External = body.Bool("external"),
        };
        return body.Errors.Count > 0 ? Problems.Validation(body.Errors) : Answer(await roles.UpdateAsync(key, changes, ct));
    }

    private static async Task<IResult> DeleteRoleAsync(string key, [FromServices] RoleAdministration roles, CancellationToken ct) => Deleted(await roles.DeleteAsync(key, ct));

    private static async Task<(AdminBody? Body, IResult? Problem)> ReadAsync(HttpContext http, CancellationToken ct)
    {
        var (body, problem) = await JsonBody.ReadObjectAsync(http.Request, ct);
        return problem is not null ? (null, problem) : (new AdminBody(body!), null);
    }

    private static IResult Answer<T>(CommandResult<T> result) => result.Outcome == CommandOutcome.Ok ? TypedResults.Ok(result.Value) : RecordsEndpoints.ToProblem(result);

    private static IResult Created<T>(CommandResult<T> result, Func<T, string> location) =>
        result.Outcome == CommandOutcome.Ok ? TypedResults.Created(location(result.Value!), result.Value) : RecordsEndpoints.ToProblem(result);

    private static IResult Deleted<T>(CommandResult<T> result) => result.Outcome == CommandOutcome.Ok ? TypedResults.NoContent() : RecordsEndpoints.ToProblem(result);
}
