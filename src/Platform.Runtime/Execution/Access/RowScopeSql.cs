using Platform.Core.Access;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Access;

/// <summary>
/// The SQL condition a row scope stands for, over a <c>records</c> row aliased <c>alias</c>; values only as
/// parameters (through <c>param</c>, which returns the placeholder text). Null means every row.
/// </summary>
public static class RowScopeSql
{
    public static string? Predicate(EntityDefinition entity, RowScope scope, Caller caller, string alias, Func<object, string> param)
    {
        if (scope == RowScope.All)
        {
            return null;
        }

        if (scope == RowScope.None)
        {
            return "false";
        }

        var me = param(caller.UserName);
        var any = new List<string> { $"{alias}.created_by = {me}" };

        // Named in a user field (the dispatched engineer, the service provider's technician).
        foreach (var field in entity.Fields.Where(f => f.Type == "user"))
        {
            any.Add($"{alias}.data ->> {SqlIdentifiers.Literal(field.Key)} = {me}");
        }

        // Holds or held a task on it (also one they transferred to someone else), or it waits in a queue of one of the caller's roles.
        var roles = caller.Roles.Count == 0 ? null : param(caller.Roles.Order(StringComparer.Ordinal).ToArray());
        any.Add(
            $"exists (select 1 from flow_instances scope_i where scope_i.record_id = {alias}.id and ("
            + $"exists (select 1 from flow_tasks scope_t where scope_t.instance_id = scope_i.id"
            + $" and (scope_t.assignee = {me} or scope_t.closed_by = {me}{(roles is null ? string.Empty : $" or (scope_t.assignee is null and scope_t.status = 'open' and scope_t.role = any({roles}))")}))"
            + $" or exists (select 1 from flow_history scope_h where scope_h.instance_id = scope_i.id and scope_h.by = {me} and scope_h.action = '{Platform.Core.Flows.Runtime.TaskActions.Transfer}')))");

        if (scope == RowScope.Department && caller.Department is { } department)
        {
            any.Add($"{alias}.owner_department = {param(department)}");
        }
        else if (scope == RowScope.DepartmentTree && caller.DepartmentTree.Count > 0)
        {
            any.Add($"{alias}.owner_department = any({param(caller.DepartmentTree.Order(StringComparer.Ordinal).ToArray())})");
        }

        return "(" + string.Join(" or ", any) + ")";
    }
}
