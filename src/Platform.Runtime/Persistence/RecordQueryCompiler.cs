using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Metadata;

namespace Platform.Runtime.Persistence;

/// <summary>
/// Compiles the list contract (<c>filter=field:op:value</c>, <c>sort=[-]field</c>, <c>page</c>, <c>pageSize</c>)
/// into SQL. Field names are resolved against the entity's metadata; every value is a parameter.
/// </summary>
public static class RecordQueryCompiler
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 200;

    private static readonly Dictionary<string, string> SystemColumns = new()
    {
        ["id"] = "id",
        ["createdAt"] = "created_at",
        ["updatedAt"] = "updated_at",
        ["createdBy"] = "created_by",
        ["updatedBy"] = "updated_by",
        ["version"] = "version",
    };

    private static readonly HashSet<string> Operators = ["eq", "ne", "gt", "ge", "lt", "le", "contains", "in"];

    /// <summary>Compiles the query or returns errors keyed by parameter name (filter, sort, page, pageSize).</summary>
    public static (CompiledRecordQuery? Query, Dictionary<string, List<string>> Errors) Compile(
        string app, EntityDefinition entity, IEnumerable<string> filters, string? sort, string? page, string? pageSize)
    {
        var errors = new Dictionary<string, List<string>>();
        var parameters = new List<NpgsqlParameter>();
        var where = new List<string> { $"app_key = {SqlIdentifiers.Literal(app)}", $"entity_key = {SqlIdentifiers.Literal(entity.Key)}" };

        foreach (var raw in filters)
        {
            var parts = raw.Split(':', 3);
            if (parts.Length != 3)
            {
                AddError(errors, "filter", $"'{raw}' must be field:op:value / 过滤条件格式应为 字段:运算符:值");
                continue;
            }

            var (fieldKey, op, value) = (parts[0], parts[1], parts[2]);
            if (value.Contains('\0', StringComparison.Ordinal))
            {
                // PostgreSQL rejects NUL in a text parameter (and the failed bind can leave a pooled connection unusable).
                AddError(errors, "filter", $"the value in '{raw}' must not contain NUL / 值不能包含 NUL 字符");
                continue;
            }

            if (!Operators.Contains(op))
            {
                AddError(errors, "filter", $"unknown operator '{op}' in '{raw}'; use one of {string.Join(", ", Operators)}");
                continue;
            }

            if (!TryResolve(entity, fieldKey, out var expr, out var kind, out var isSystem))
            {
                AddError(errors, "filter", $"unknown field '{fieldKey}' in '{raw}' / 字段不存在");
                continue;
            }

            var condition = BuildCondition(expr, kind, isSystem, fieldKey, op, value, parameters, out var error);
            if (error is not null)
            {
                AddError(errors, "filter", error);
            }
            else
            {
                where.Add(condition!);
            }
        }

        var baseWhere = string.Join(" and ", where.Take(2));
        var (sortKey, sortOrder, idOrder) = ("created_at", "desc", "desc");
        if (!string.IsNullOrWhiteSpace(sort))
        {
            var descending = sort.StartsWith('-');
            var key = sort.TrimStart('-', '+');
            if (TryResolve(entity, key, out var expr, out var kind, out _) && kind != SqlValueKind.Json)
            {
                (sortKey, sortOrder, idOrder) = (expr, descending ? "desc nulls last" : "asc nulls first", descending ? "desc" : "asc");
            }
            else
            {
                AddError(errors, "sort", $"cannot sort by '{key}' / 无法按该字段排序");
            }
        }

        var (pageNumber, size) = Paging(page, pageSize, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        var orderBy = $"{sortKey} {sortOrder}, id {idOrder}";
        return (new CompiledRecordQuery(string.Join(" and ", where), orderBy, size, (pageNumber - 1) * size, parameters)
        {
            BaseWhere = baseWhere,
            SortKey = sortKey,
            SortOrder = sortOrder,
            IdOrder = idOrder,
        }, errors);
    }

    private static bool TryResolve(EntityDefinition entity, string key, out string expr, out SqlValueKind kind, out bool isSystem)
    {
        if (SystemColumns.TryGetValue(key, out var column))
        {
            expr = column;
            kind = key is "version" ? SqlValueKind.Number : SqlValueKind.Text;
            isSystem = true;
            return true;
        }

        isSystem = false;
        var field = entity.FindField(key);
        if (field is null)
        {
            expr = string.Empty;
            kind = SqlValueKind.Text;
            return false;
        }

        expr = FieldSql.Expression(field);
        kind = FieldSql.KindOf(field);
        return true;
    }

    private static string? BuildCondition(
        string expr, SqlValueKind kind, bool isSystem, string field, string op, string value, List<NpgsqlParameter> parameters, out string? error)
    {
        error = null;
        string Param(object v, NpgsqlDbType type)
        {
            parameters.Add(new NpgsqlParameter { Value = v, NpgsqlDbType = type });
            return "$" + parameters.Count;
        }

        if (isSystem)
        {
            if (field == "id")
            {
                if (op is not ("eq" or "ne" or "in"))
                {
                    error = $"operator '{op}' is not allowed on id";
                    return null;
                }

                var ids = new List<Guid>();
                foreach (var s in op == "in" ? value.Split('|') : [value])
                {
                    if (!Guid.TryParse(s, out var g))
                    {
                        error = $"'{s}' is not a record id";
                        return null;
                    }

                    ids.Add(g);
                }

                return op switch
                {
                    "eq" => $"id = {Param(ids[0], NpgsqlDbType.Uuid)}",
                    "ne" => $"id <> {Param(ids[0], NpgsqlDbType.Uuid)}",
                    _ => $"id = any({Param(ids.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Uuid)})",
                };
            }

            if (field is "createdAt" or "updatedAt")
            {
                if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
                {
                    error = $"'{value}' is not a date/time for {field}";
                    return null;
                }

                return Compare(expr, op, Param(at.ToUniversalTime(), NpgsqlDbType.TimestampTz), out error);
            }
        }

        switch (kind)
        {
            case SqlValueKind.Number:
                {
                    var values = new List<decimal>();
                    foreach (var s in op == "in" ? value.Split('|') : [value])
                    {
                        if (!decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d))
                        {
                            error = $"'{s}' is not a number for {field}";
                            return null;
                        }

                        values.Add(d);
                    }

                    if (op == "contains")
                    {
                        error = $"contains is not allowed on number field {field}";
                        return null;
                    }

                    return op == "in"
                        ? $"{expr} = any({Param(values.ToArray(), NpgsqlDbType.Array | NpgsqlDbType.Numeric)})"
                        : Compare(expr, op, Param(values[0], NpgsqlDbType.Numeric), out error);
                }

            case SqlValueKind.Boolean:
                if (!bool.TryParse(value, out var b) || op is not ("eq" or "ne"))
                {
                    error = $"{field} takes eq/ne with true or false";
                    return null;
                }

                return Compare(expr, op, Param(b, NpgsqlDbType.Boolean), out error);

            case SqlValueKind.Json:
                return op switch
                {
                    "contains" or "eq" => $"{expr} ? {Param(value, NpgsqlDbType.Text)}",
                    "ne" => $"not coalesce({expr} ? {Param(value, NpgsqlDbType.Text)}, false)",
                    "in" => $"{expr} ?| {Param(value.Split('|'), NpgsqlDbType.Array | NpgsqlDbType.Text)}",
                    _ => Fail(out error, $"operator '{op}' is not allowed on list field {field}"),
                };

            default:
                return op switch
                {
                    "contains" => $"{expr} ilike {Param("%" + EscapeLike(value) + "%", NpgsqlDbType.Text)}",
                    "in" => $"{expr} = any({Param(value.Split('|'), NpgsqlDbType.Array | NpgsqlDbType.Text)})",
                    "ne" => $"{expr} is distinct from {Param(value, NpgsqlDbType.Text)}",
                    _ => Compare(expr, op, Param(value, NpgsqlDbType.Text), out error),
                };
        }
    }

    private static string? Fail(out string? error, string message)
    {
        error = message;
        return null;
    }

    private static string? Compare(string expr, string op, string param, out string? error)
    {
        error = null;
        return op switch
        {
            "eq" => $"{expr} = {param}",
            "ne" => $"{expr} is distinct from {param}",
            "gt" => $"{expr} > {param}",
            "ge" => $"{expr} >= {param}",
            "lt" => $"{expr} < {param}",
            "le" => $"{expr} <= {param}",
            _ => Fail(out error, $"operator '{op}' is not allowed here"),
        };
    }

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    /// <summary>Reads <c>page</c> and <c>pageSize</c> as the list does; errors keyed by parameter name.</summary>
    public static (int Page, int PageSize) Paging(string? page, string? pageSize, Dictionary<string, List<string>> errors) =>
        (ParseInt(page, 1, "page", 1, int.MaxValue / MaxPageSize, errors), ParseInt(pageSize, DefaultPageSize, "pageSize", 1, MaxPageSize, errors));

    private static int ParseInt(string? raw, int fallback, string name, int min, int max, Dictionary<string, List<string>> errors)
    {
        if (string.IsNullOrEmpty(raw))
        {
            return fallback;
        }

        if (!int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
        {
            AddError(errors, name, $"{name} must be an integer from {min} to {max}");
            return fallback;
        }

        return v;
    }

    private static void AddError(Dictionary<string, List<string>> errors, string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }
}
