using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>
/// <c>update-records</c>: updates the records of an entity found by a query (values of <c>where</c> are expressions
/// over the triggering record; <c>fields</c> are expressions over each target, with the trigger as <c>$source</c>).
/// </summary>
public sealed class UpdateRecordsAction : RuleActionType
{
    public override string Name => "update-records";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        var target = action.Entity is null ? null : context.App.FindEntity(action.Entity);
        if (target is null)
        {
            problem("entity", $"实体 '{action.Entity}' 不存在");
            return;
        }

        if (action.Where is not { Count: > 0 })
        {
            problem("where", "update-records 需要查询条件（不能更新整个实体）");
        }

        QueryChecks.Check(action, target, context, problem);
        if (action.Fields is not { Count: > 0 })
        {
            problem("fields", "update-records 至少要设置一个字段");
        }

        CheckFields(action.Fields, target, context, problem, target);
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var where = EvaluateWhere(action.Where, context);
        return new RuleActionPlan
        {
            Type = Name, Action = action, Values = new() { ["entity"] = action.Entity, ["where"] = where, ["limit"] = action.Limit ?? 200 },
            Summary = $"更新 {action.Entity} 中满足 {where.ToJsonString()} 的记录 / update {action.Entity} where {where.ToJsonString()}",
        };
    }
}
