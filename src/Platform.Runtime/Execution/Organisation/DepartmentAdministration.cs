using Dapper;
using Npgsql;

namespace Platform.Runtime.Execution.Organisation;

/// <summary>
/// The department tree for administrators: list, create, rename, move (never under itself or a descendant) and delete
/// (only when no user and no child department is in it). Records keep the department they were created in.
/// </summary>
public sealed class DepartmentAdministration(NpgsqlDataSource dataSource, OrganisationWriter writer)
{
    private const string Select = """
        select d.key as Key, d.name as Name, d.name_en as NameEn, d.parent_key as ParentKey, d.sort as Sort,
          (select count(*) from users u where u.department = d.key) as UserCount,
          (select count(*) from departments c where c.parent_key = d.key) as ChildCount
        from departments d
        """;

    /// <summary>Every department, siblings by sort then key (parents before children is up to the caller's tree).</summary>
    public async Task<IReadOnlyList<OrgDepartment>> ListAsync(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<OrgDepartment>(new CommandDefinition($"{Select} order by d.sort, d.key", cancellationToken: ct))).ToList();
    }

    public Task<CommandResult<OrgDepartment>> CreateAsync(NewOrgDepartment department, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        var errors = new Errors();
        var key = department.Key?.Trim() ?? string.Empty;
        if (!OrganisationKeys.Key().IsMatch(key))
        {
            errors.Add("key", key.Length == 0 ? "请输入部门标识 / the key is required" : OrganisationKeys.KeyRule);
        }
        else if (await FindAsync(connection, transaction, key, ct) is not null)
        {
            errors.Add("key", $"部门标识 '{key}' 已存在 / the key is taken");
        }

        var name = Names.Required(department.Name, "name", errors);
        var nameEn = Names.Optional(department.NameEn, "nameEn", errors);
        var parent = string.IsNullOrWhiteSpace(department.ParentKey) ? null : department.ParentKey.Trim();
        if (parent is not null && await FindAsync(connection, transaction, parent, ct) is null)
        {
            errors.Add("parentKey", $"没有上级部门 '{parent}' / unknown parent department");
        }

        if (errors.Any)
        {
            return errors.Result<OrgDepartment>();
        }

        var sort = department.Sort ?? await connection.ExecuteScalarAsync<int>(new CommandDefinition(
            "select coalesce(max(sort) + 1, 0) from departments where parent_key is not distinct from @parent", new { parent }, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into departments (key, name, name_en, parent_key, sort) values (@key, @name, @nameEn, @parent, @sort)",
            new { key, name, nameEn, parent, sort }, transaction, cancellationToken: ct));
        return CommandResult<OrgDepartment>.Ok((await FindAsync(connection, transaction, key, ct))!);
    }, ct);

    public Task<CommandResult<OrgDepartment>> UpdateAsync(string key, OrgDepartmentChanges changes, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        if (await FindAsync(connection, transaction, key, ct) is not { } current)
        {
            return CommandResult<OrgDepartment>.NotFound($"没有部门 '{key}' / no department '{key}'");
        }

        var errors = new Errors();
        var name = changes.Name is null ? current.Name : Names.Required(changes.Name, "name", errors);
        var nameEn = changes.NameEn is null ? current.NameEn : Names.Optional(changes.NameEn, "nameEn", errors);
        var parent = changes.ParentKey is null ? current.ParentKey : changes.ParentKey.Trim() is { Length: > 0 } p ? p : null;
        if (parent is not null && parent != current.ParentKey)
        {
            if (parent == key)
            {
                errors.Add("parentKey", "部门不能移到自己下面 / a department cannot move under itself");
            }
            else if (await FindAsync(connection, transaction, parent, ct) is null)
            {
                errors.Add("parentKey", $"没有上级部门 '{parent}' / unknown parent department");
            }
            else if (await IsBelowAsync(connection, transaction, parent, key, ct))
            {
                errors.Add("parentKey", $"'{parent}' 在 '{key}' 之下，不能移到自己的下级部门 / a department cannot move under one of its descendants");
            }
        }

        if (errors.Any)
        {
            return errors.Result<OrgDepartment>();
        }

        await connection.ExecuteAsync(new CommandDefinition(
            "update departments set name = @name, name_en = @nameEn, parent_key = @parent, sort = @sort where key = @key",
            new { key, name, nameEn, parent, sort = changes.Sort ?? current.Sort }, transaction, cancellationToken: ct));
        return CommandResult<OrgDepartment>.Ok((await FindAsync(connection, transaction, key, ct))!);
    }, ct);

    /// <summary>Deletes an empty department; one with users (active or not) or child departments is a conflict saying which.</summary>
    public Task<CommandResult<OrgDepartment>> DeleteAsync(string key, CancellationToken ct) => writer.RunAsync(async (connection, transaction) =>
    {
        if (await FindAsync(connection, transaction, key, ct) is not { } current)
        {
            return CommandResult<OrgDepartment>.NotFound($"没有部门 '{key}' / no department '{key}'");
        }

        if (current.UserCount > 0 || current.ChildCount > 0)
        {
            var zh = new List<string>();
            var en = new List<string>();
            if (current.UserCount > 0)
            {
                zh.Add($"还有 {current.UserCount} 个用户（含已停用）");
                en.Add($"{current.UserCount} user(s), inactive ones included");
            }

            if (current.ChildCount > 0)
            {
                zh.Add($"还有 {current.ChildCount} 个下级部门");
                en.Add($"{current.ChildCount} child department(s)");
            }

            return CommandResult<OrgDepartment>.Conflict($"部门 '{key}' 不能删除：{string.Join("，", zh)}。请先移走。 / The department '{key}' still has {string.Join(" and ", en)}; move them first.");
        }

        await connection.ExecuteAsync(new CommandDefinition("delete from departments where key = @key", new { key }, transaction, cancellationToken: ct));
        return CommandResult<OrgDepartment>.Ok(current);
    }, ct);

    private static Task<OrgDepartment?> FindAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string key, CancellationToken ct) =>
        connection.QueryFirstOrDefaultAsync<OrgDepartment>(new CommandDefinition($"{Select} where d.key = @key", new { key }, transaction, cancellationToken: ct));

    /// <summary>Whether <paramref name="candidate"/> lies below <paramref name="ancestor"/> (walking up from the candidate; cycles in old data end the walk).</summary>
    private static Task<bool> IsBelowAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string candidate, string ancestor, CancellationToken ct) =>
        connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            """
            with recursive up(key) as (
              select parent_key from departments where key = @candidate
              union
              select d.parent_key from departments d join up on d.key = up.key)
            select exists (select 1 from up where key = @ancestor)
            """,
            new { candidate, ancestor }, transaction, cancellationToken: ct));
}
