using Dapper;
using Npgsql;
using Platform.Runtime.Security;

namespace Platform.Runtime.Execution.Organisation;

/// <summary>Roles for administrators: list with how many users hold each, create, rename, and delete a role nobody holds.</summary>
public sealed class RoleAdministration(NpgsqlDataSource dataSource, OrganisationWriter writer)
{
    /// <summary>Roles the runtime itself checks (policies): they cannot be deleted.</summary>
    public static IReadOnlySet<string> BuiltIn { get; } = new HashSet<string>(StringComparer.Ordinal) { PlatformRoles.Admin, PlatformRoles.Designer };

    private const string Select = """
        select r.key as Key, r.name as Name, r.name_en as NameEn, r.description as Description, r.is_external as External,
          (select count(*) from users u where r.key = any(u.roles)) as UserCount
        from roles r
        """;

    public async Task<IReadOnlyList<OrgRole>> ListAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<OrgRole>(new CommandDefinition($"{Select} order by r.created_at, r.key", cancellationToken: ct)))
            .Select(WithBuiltIn).ToList();
    }

    public Task<CommandResult<OrgRole>> CreateAsync(NewOrgRole role, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        var errors = new Errors();
        var key = role.Key?.Trim() ?? string.Empty;
        if (!OrganisationKeys.Key().IsMatch(key))
        {
            errors.Add("key", key.Length == 0 ? "请输入角色标识 / the key is required" : OrganisationKeys.KeyRule);
        }
        else if (await FindAsync(connection, transaction, key, ct) is not null)
        {
            errors.Add("key", $"角色标识 '{key}' 已存在 / the key is taken");
        }

        var name = Names.Required(role.Name, "name", errors);
        var nameEn = Names.Optional(role.NameEn, "nameEn", errors);
        var description = Names.Optional(role.Description, "description", errors, OrganisationKeys.MaxDescriptionLength);
        if (errors.Any)
        {
            return errors.Result<OrgRole>();
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "insert into roles (key, name, name_en, description, is_external) values (@key, @name, @nameEn, @description, @external)",
            new { key, name, nameEn, description, external = role.External }, transaction, cancellationToken: ct));
        return CommandResult<OrgRole>.Ok((await FindAsync(connection, transaction, key, ct))!);
    }, ct);

    public Task<CommandResult<OrgRole>> UpdateAsync(string key, OrgRoleChanges changes, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        if (await FindAsync(connection, transaction, key, ct) is not { } current)
        {
            return CommandResult<OrgRole>.NotFound($"没有角色 '{key}' / no role '{key}'");
        }

        var errors = new Errors();
        var name = changes.Name is null ? current.Name : Names.Required(changes.Name, "name", errors);
        var nameEn = changes.NameEn is null ? current.NameEn : Names.Optional(changes.NameEn, "nameEn", errors);
        var description = changes.Description is null ? current.Description : Names.Optional(changes.Description, "description", errors, OrganisationKeys.MaxDescriptionLength);
        if (errors.Any)
        {
            return errors.Result<OrgRole>();
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "update roles set name = @name, name_en = @nameEn, description = @description, is_external = @external where key = @key",
            new { key, name, nameEn, description, external = changes.External ?? current.External }, transaction, cancellationToken: ct));
        return CommandResult<OrgRole>.Ok((await FindAsync(connection, transaction, key, ct))!);
    }, ct);

    /// <summary>Deletes a role no user holds (active or not); built-in roles and held roles are a conflict saying why.</summary>
    public Task<CommandResult<OrgRole>> DeleteAsync(string key, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        if (await FindAsync(connection, transaction, key, ct) is not { } current)
        {
            return CommandResult<OrgRole>.NotFound($"没有角色 '{key}' / no role '{key}'");
        }

        if (current.BuiltIn)
        {
            return CommandResult<OrgRole>.Conflict($"'{key}' 是平台内置角色，不能删除 / '{key}' is built into the platform and cannot be deleted");
        }

        if (current.UserCount > 0)
        {
            var holders = (await connection.QueryAsync<string>(new CommandDefinition(
                "select user_name from users where @key = any(roles) order by user_name limit 5", new { key }, transaction, cancellationToken: ct))).ToList();
            var names = string.Join(", ", holders) + (current.UserCount > holders.Count ? ", …" : string.Empty);
            return CommandResult<OrgRole>.Conflict(
                $"角色 '{key}' 还有 {current.UserCount} 个用户持有（{names}），请先取消他们的角色 / the role '{key}' is held by {current.UserCount} user(s) ({names}); take it away first");
        }

        await connection.ExecuteAsync(new CommandDefinition("delete from roles where key = @key", new { key }, transaction, cancellationToken: ct));
        return CommandResult<OrgRole>.Ok(current);
    }, ct);

    /// <summary>Adds the built-in roles when missing (a database without the demo organisation), so administrators can grant them.</summary>
    public static async Task SeedBuiltInAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            insert into roles (key, name, name_en, description) values
              (@admin, '系统管理员', 'Administrator', '用户、部门、角色、应用导入导出 / users, departments, roles, app import and export'),
              (@designer, '业务分析师', 'Business analyst', '设计并发布应用 / designs and publishes apps')
            on conflict (key) do nothing
            """,
            new { admin = PlatformRoles.Admin, designer = PlatformRoles.Designer }, cancellationToken: ct));
    }

    private static async Task<OrgRole?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken ct) =>
        await connection.QueryFirstOrDefaultAsync<OrgRole>(new CommandDefinition($"{Select} where r.key = @key", new { key }, transaction, cancellationToken: ct)) is { } role
            ? WithBuiltIn(role)
            : null;

    private static OrgRole WithBuiltIn(OrgRole role) => role with { BuiltIn = BuiltIn.Contains(role.Key) };
}
