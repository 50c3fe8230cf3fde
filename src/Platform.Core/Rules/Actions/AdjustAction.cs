using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>
/// <c>adjust</c>: adds a number to a numeric field of the record a reference field points at (or of the record
/// itself) atomically in the database (<c>stock -= quantity</c> with no lost update under concurrency). Returns
/// <c>{ old, new }</c> as <c>$last</c>, and the change triggers the target's own rules.
/// </summary>
public sealed class AdjustAction : RuleActionType
{
    public override string Name => "adjust";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        if (context.Entity is null)
        {
            problem("type", "adjust 需要规则绑定实体");
            return;
        }

        var target = RuleActionTargets.EntityOf(action, context, problem);
        if (target is null)
        {
            return;
        }

        var field = action.Field is null ? null : target.FindField(action.Field);
        if (field is null)
        {
            problem("field", $"实体 {target.Key} 没有字段 '{action.Field}'");
        }
        else if (field.Type == "aggregate")
        {
            problem("field", $"字段 '{field.Key}' 是汇总字段，由数据计算，不能由规则调整 / an aggregate is computed from the data, never adjusted");
        }
        else if (field.Type is not ("number" or "integer" or "money"))
        {
            problem("field", $"字段 '{field.Key}' 不是数字字段（{field.Type}）");
        }

        if (context.CheckExpression(action.Delta) is { } p)
        {
            problem("delta", p);
        }
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var delta = context.Evaluate(action.Delta!);
        var targetId = action.Target is null or "self" ? context.Event.RecordId?.ToString() : context.Record[action.Target]?.ToString();
        var entity = action.Target is null or "self"
            ? context.Entity!.Key
            : context.Entity!.FindField(action.Target)?.Reference?.Entity;
        return new RuleActionPlan
        {
            Type = Name, Action = action,
            Values = new() { ["entity"] = entity, ["id"] = targetId, ["field"] = action.Field, ["delta"] = delta?.DeepClone() },
            Summary = $"{entity} {targetId} 的 {action.Field} 增加 {delta?.ToJsonString() ?? "null"} / adjust",
        };
    }
}
