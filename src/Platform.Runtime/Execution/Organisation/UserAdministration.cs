using Dapper;
using Microsoft.AspNetCore.Identity;
using Npgsql;
using Platform.Runtime.Persistence;
using Platform.Runtime.Security;

namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// Users for administrators: list, create, change (roles, department, active, external, contact) and reset passwords.
/// Errors are keyed by the request's property names; a refused change writes nothing.
/// </summary>
public sealed class UserAdministration(
    NpgsqlDataSource dataSource, OrganisationWriter writer, IPasswordHasher<UserRow> hasher, NewPasswordCheck passwords, TimeProvider time)
{
    public const int MaxPageSize = 200;

    private const string Columns = """
        u.user_name as UserName, u.display_name as DisplayName, u.roles as Roles, u.department as Department,
        d.name as DepartmentName, d.name_en as DepartmentNameEn, u.is_active as Active, u.is_external as External,
        u.phone as Phone, u.email as Email, u.created_at as CreatedAt
        """;

    public async Task<OrgUserPage> ListAsync(OrgUserQuery query, CancellationToken ct)
    {
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var page = Math.Max(query.Page, 1);
        var text = string.IsNullOrWhiteSpace(query.Text) ? null : "%" + EscapeLike(query.Text.Trim()) + "%";
        var department = string.IsNullOrWhiteSpace(query.Department) ? null : query.Department.Trim();
        var role = string.IsNullOrWhiteSpace(query.Role) ? null : query.Role.Trim();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<UserListRow>(new CommandDefinition(
            $"""
            with recursive below(key) as (
              select @department::text where @department::text is not null
              union
              select d.key from departments d join below b on d.parent_key = b.key where @below)
            select {Columns}, count(*) over () as Total
            from users u left join departments d on d.key = u.department
            where (@text::text is null or u.user_name ilike @text or u.display_name ilike @text or u.phone ilike @text or u.email ilike @text)
              and (@department::text is null or u.department in (select key from below))
              and (@role::text is null or @role = any(u.roles))
              and (@active::boolean is null or u.is_active = @active)
            order by u.user_name
            limit @limit offset @offset
            """,
            new { text, department, below = query.Below, role, active = query.Active, limit = pageSize, offset = (page - 1) * pageSize },
            cancellationToken: ct))).ToList();
        var total = rows.Count > 0 ? rows[0].Total : page == 1 ? 0 : await CountAsync(connection, text, department, query.Below, role, query.Active, ct);
        return new OrgUserPage(rows.Select(r => r.User()).ToList(), total);
    }

    public async Task<OrgUser?> GetAsync(string userName, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await FindAsync(connection, null, userName, ct);
    }

    public Task<CommandResult<OrgUser>> CreateAsync(NewOrgUser user, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        var errors = new Errors();
        var userName = user.UserName?.Trim() ?? string.Empty;
        if (userName.Length == 0)
        {
            errors.Add("userName", "请输入用户名 / the user name is required");
        }
        else if (!OrganisationKeys.UserName().IsMatch(userName))
        {
            errors.Add("userName", OrganisationKeys.UserNameRule);
        }
        else if (await FindAsync(connection, transaction, userName, ct) is not null)
        {
            errors.Add("userName", $"用户名 '{userName}' 已存在 / the user name is taken");
        }

        var displayName = CheckDisplayName(user.DisplayName, errors);
        foreach (var problem in passwords.Problems(userName, user.Password))
        {
            errors.Add("password", problem);
        }

        var roles = await CheckRolesAsync(connection, transaction, user.Roles, [], errors, ct);
        var department = await CheckDepartmentAsync(connection, transaction, user.Department, errors, ct);
        var phone = CheckPhone(user.Phone, errors);
        var email = CheckEmail(user.Email, errors);
        if (errors.Any)
        {
            return errors.Result<OrgUser>();
        }

        var row = new UserRow { Id = Guid.CreateVersion7(), UserName = userName, DisplayName = displayName!, PasswordHash = string.Empty };
        row.PasswordHash = hasher.HashPassword(row, user.Password!);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into users (id, user_name, display_name, email, phone, password_hash, roles, is_active, department, is_external, created_at)
            values (@id, @userName, @displayName, @email, @phone, @hash, @roles, true, @department, @external, @at)
            """,
            new { id = row.Id, userName, displayName, email, phone, hash = row.PasswordHash, roles, department, external = user.External, at = time.GetUtcNow() },
            transaction, cancellationToken: ct));
        return CommandResult<OrgUser>.Ok((await FindAsync(connection, transaction, userName, ct))!);
    }, ct);

    /// <summary>Changes a user; <paramref name="actor"/> (the administrator) may not deactivate themself or take away their own admin role, and the last active administrator stays.</summary>
    public Task<CommandResult<OrgUser>> UpdateAsync(string userName, OrgUserChanges changes, string actor, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        if (await FindAsync(connection, transaction, userName, ct) is not { } current)
        {
            return CommandResult<OrgUser>.NotFound($"没有用户 '{userName}' / no user '{userName}'");
        }

        var errors = new Errors();
        var displayName = changes.DisplayName is null ? current.DisplayName : CheckDisplayName(changes.DisplayName, errors);
        var roles = changes.Roles is null ? [.. current.Roles] : await CheckRolesAsync(connection, transaction, changes.Roles, current.Roles, errors, ct);
        var department = changes.Department is null ? current.Department : await CheckDepartmentAsync(connection, transaction, changes.Department, errors, ct);
        var phone = changes.Phone is null ? current.Phone : CheckPhone(changes.Phone, errors);
        var email = changes.Email is null ? current.Email : CheckEmail(changes.Email, errors);
        var active = changes.Active ?? current.Active;
        var external = changes.External ?? current.External;

        var wasAdmin = current.Active && current.Roles.Contains(PlatformRoles.Admin);
        var staysAdmin = active && roles.Contains(PlatformRoles.Admin);
        if (userName == actor && !active)
        {
            errors.Add("active", "不能停用自己的账号 / you cannot deactivate your own account");
        }
        else if (userName == actor && wasAdmin && !staysAdmin)
        {
            errors.Add("roles", "不能去掉自己的管理员角色 / you cannot remove your own admin role");
        }
        else if (wasAdmin && !staysAdmin && await OtherActiveAdminsAsync(connection, transaction, userName, ct) == 0)
        {
            errors.Add(active ? "roles" : "active", "这是最后一个启用的管理员 / this is the last active administrator");
        }

        if (errors.Any)
        {
            return errors.Result<OrgUser>();
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            update users set display_name = @displayName, roles = @roles, department = @department, phone = @phone, email = @email,
              is_active = @active, is_external = @external,
              -- Deactivating ends every session of the user on every node (their tokens carry the old stamp).
              security_stamp = case when is_active and not @active then replace(gen_random_uuid()::text, '-', '') else security_stamp end
            where user_name = @userName
            """,
            new { userName, displayName, roles, department, phone, email, active, external },
            transaction, cancellationToken: ct));
        return CommandResult<OrgUser>.Ok((await FindAsync(connection, transaction, userName, ct))!);
    }, ct);

    public Task<CommandResult<OrgUser>> ResetPasswordAsync(string userName, string? password, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        if (await FindAsync(connection, transaction, userName, ct) is not { } current)
        {
            return CommandResult<OrgUser>.NotFound($"没有用户 '{userName}' / no user '{userName}'");
        }

        var problems = passwords.Problems(userName, password);
        if (problems.Count > 0)
        {
            return CommandResult<OrgUser>.Invalid(new Dictionary<string, IReadOnlyList<string>> { ["password"] = problems });
        }

        var row = new UserRow { UserName = userName, DisplayName = current.DisplayName, PasswordHash = string.Empty };
        await connection.ExecuteAsync(new CommandDefinition(
            "update users set password_hash = @hash, security_stamp = replace(gen_random_uuid()::text, '-', ''), failed_logins = 0, locked_until = null where user_name = @userName",
            new { userName, hash = hasher.HashPassword(row, password!) },
            transaction, cancellationToken: ct));
        return CommandResult<OrgUser>.Ok(current);
    }, ct);

    private static async Task<OrgUser?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string userName, CancellationToken ct) =>
        (await connection.QueryFirstOrDefaultAsync<UserListRow>(new CommandDefinition(
            $"select {Columns}, 1::bigint as Total from users u left join departments d on d.key = u.department where u.user_name = @userName",
            new { userName }, transaction, cancellationToken: ct)))?.User();

    private static async Task<long> CountAsync(NpgsqlConnection connection, string? text, string? department, bool below, string? role, bool? active, CancellationToken ct) =>
        await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            with recursive below(key) as (
              select @department::text where @department::text is not null
              union
              select d.key from departments d join below b on d.parent_key = b.key where @below)
            select count(*) from users u
            where (@text::text is null or u.user_name ilike @text or u.display_name ilike @text or u.phone ilike @text or u.email ilike @text)
              and (@department::text is null or u.department in (select key from below))
              and (@role::text is null or @role = any(u.roles))
              and (@active::boolean is null or u.is_active = @active)
            """,
            new { text, department, below, role, active }, cancellationToken: ct));

    private static Task<long> OtherActiveAdminsAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string userName, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "select count(*) from users where is_active and @admin = any(roles) and user_name <> @userName",
            new { admin = PlatformRoles.Admin, userName }, transaction, cancellationToken: ct));

    private static string? CheckDisplayName(string? value, Errors errors)
    {
        var name = value?.Trim() ?? string.Empty;
        if (name.Length == 0)
        {
            errors.Add("displayName", "请输入姓名 / the display name is required");
        }
        else if (name.Length > OrganisationKeys.MaxNameLength)
        {
            errors.Add("displayName", $"最多 {OrganisationKeys.MaxNameLength} 个字符 / at most {OrganisationKeys.MaxNameLength} characters");
        }

        return name;
    }

    /// <summary>Each role must exist; roles the user already holds stay allowed (held before they were defined).</summary>
    private static async Task<string[]> CheckRolesAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<string> requested, IReadOnlyList<string> held, Errors errors, CancellationToken ct)
    {
        var roles = requested.Select(r => r?.Trim() ?? string.Empty).Distinct(StringComparer.Ordinal).ToArray();
        var known = (await connection.QueryAsync<string>(new CommandDefinition(
            "select key from roles where key = any(@roles)", new { roles }, transaction, cancellationToken: ct))).ToHashSet(StringComparer.Ordinal);
        var unknown = roles.Where(r => !known.Contains(r) && !held.Contains(r)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("roles", $"没有角色 {string.Join(", ", unknown.Select(r => $"'{r}'"))} / unknown role");
        }

        return roles;
    }

    private static async Task<string?> CheckDepartmentAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string? value, Errors errors, CancellationToken ct)
    {
        var key = value?.Trim();
        if (string.IsNullOrEmpty(key))
        {
            return null;
        }

        if (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "select exists (select 1 from departments where key = @key)", new { key }, transaction, cancellationToken: ct)))
        {
            errors.Add("department", $"没有部门 '{key}' / unknown department");
        }

        return key;
    }

    private static string? CheckPhone(string? value, Errors errors)
    {
        var phone = value?.Trim();
        if (string.IsNullOrEmpty(phone))
        {
            return null;
        }

        if (!OrganisationKeys.Phone().IsMatch(phone))
        {
            errors.Add("phone", "手机号格式不正确（5–20 位数字，可含 + - 空格） / not a phone number");
        }

        return phone;
    }

    private static string? CheckEmail(string? value, Errors errors)
    {
        var email = value?.Trim();
        if (string.IsNullOrEmpty(email))
        {
            return null;
        }

        if (email.Length > 200 || !OrganisationKeys.Email().IsMatch(email))
        {
            errors.Add("email", "邮箱格式不正确 / not an e-mail address");
        }

        return email;
    }

    private static string EscapeLike(string text) => text.Replace(@"\", @"\\").Replace("%", @"\%").Replace("_", @"\_");

    private sealed record UserListRow
    {
        public required string UserName { get; init; }

        public required string DisplayName { get; init; }

        public string[] Roles { get; init; } = [];

        public string? Department { get; init; }

        public string? DepartmentName { get; init; }

        public string? DepartmentNameEn { get; init; }

        public bool Active { get; init; }

        public bool External { get; init; }

        public string? Phone { get; init; }

        public string? Email { get; init; }

        public DateTime CreatedAt { get; init; }

        public long Total { get; init; }

        public OrgUser User() => new()
        {
            UserName = UserName, DisplayName = DisplayName, Roles = Roles, Department = Department, DepartmentName = DepartmentName,
            DepartmentNameEn = DepartmentNameEn, Active = Active, External = External, Phone = Phone, Email = Email,
            CreatedAt = new DateTimeOffset(DateTime.SpecifyKind(CreatedAt, DateTimeKind.Utc)),
        };
    }
}
