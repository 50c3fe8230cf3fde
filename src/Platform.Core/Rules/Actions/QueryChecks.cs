using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;

namespace Platform.Core.Rules.Actions;

/// <summary>Shared checks of query settings (where / orderBy) over a target entity.</summary>
internal static class QueryChecks
{
    public static readonly IReadOnlySet<string> Ops = new HashSet<string>(StringComparer.Ordinal) { "eq", "ne", "gt", "ge", "lt", "le", "contains", "in" };

    public static void Check(RuleActionDefinition action, EntityDefinition target, RuleValidationContext context, Action<string, string> problem)
    {
        var where = action.Where ?? [];
        for (var i = 0; i < where.Count; i++)
        {
            var c = where[i];
            if (target.FindField(c.Field) is null && c.Field != "id")
            {
                problem($"where[{i}].field", $"实体 {target.Key} 没有字段 '{c.Field}'");
            }

            if (!Ops.Contains(c.Op))
            {
                problem($"where[{i}].op", $"未知的运算符 '{c.Op}'，应为 {string.Join(", ", Ops)}");
            }

            if (context.CheckExpression(c.Value) is { } p)
            {
                problem($"where[{i}].value", p);
            }
        }

        var order = action.OrderBy ?? [];
        for (var i = 0; i < order.Count; i++)
        {
            if (target.FindField(order[i].Field) is null && order[i].Field is not ("createdAt" or "updatedAt"))
            {
                problem($"orderBy[{i}].field", $"实体 {target.Key} 没有字段 '{order[i].Field}'");
            }
        }

        if (action.Limit is < 1 or > 1000)
        {
            problem("limit", "limit 应在 1 到 1000 之间");
        }
    }
}
