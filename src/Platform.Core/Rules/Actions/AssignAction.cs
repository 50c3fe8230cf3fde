using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>
/// <c>assign</c>: picks one record of a candidate entity by query (filter + order, e.g. the active engineer of the
/// record's region with the required skill and the fewest open jobs), copies values from it into the record
/// (<c>fields</c>: expressions over <c>$candidate</c>) and completes the step's task; with no candidate the task
/// stays for manual handling and the fallback roles are told. The runtime logs every candidate it weighed.
/// </summary>
public sealed class AssignAction : RuleActionType
{
    public override string Name => "assign";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        var target = action.Entity is null ? null : context.App.FindEntity(action.Entity);
        if (target is null)
        {
            problem("entity", $"候选实体 '{action.Entity}' 不存在");
            return;
        }

        if (context.Entity is null)
        {
            problem("type", "assign 需要规则绑定实体");
            return;
        }

        QueryChecks.Check(action, target, context, problem);
        if (action.Fields is not { Count: > 0 })
        {
            problem("fields", "assign 需要把候选人写入记录的字段，例如 { \"engineer\": \"$candidate.id\" }");
        }

        CheckFields(action.Fields, context.Entity, context, problem);

        if (action.Step is { } step && !context.App.Flows.Any(f => f.Entity == context.Entity.Key && f.FindStep(step) is not null))
        {
            problem("step", $"实体 {context.Entity.Key} 的流程中没有步骤 '{step}'");
        }
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var where = EvaluateWhere(action.Where, context);
        var order = new System.Text.Json.Nodes.JsonArray();
        foreach (var o in action.OrderBy ?? [])
        {
            order.Add(new System.Text.Json.Nodes.JsonObject { ["field"] = o.Field, ["desc"] = o.Desc });
        }

        return new RuleActionPlan
        {
            Type = Name, Action = action,
            Values = new() { ["entity"] = action.Entity, ["where"] = where, ["orderBy"] = order, ["step"] = action.Step ?? context.Event.Step },
            Summary = $"从 {action.Entity} 中按 {order.ToJsonString()} 选出满足 {where.ToJsonString()} 的第一个 / assign the first {action.Entity}",
        };
    }
}
