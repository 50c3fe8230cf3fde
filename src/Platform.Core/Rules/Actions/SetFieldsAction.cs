using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary><c>set-fields</c>: sets fields of the triggering record from expressions (validated again by the form engine).</summary>
public sealed class SetFieldsAction : RuleActionType
{
    public override string Name => "set-fields";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        if (context.Entity is null)
        {
            problem("type", "set-fields 需要规则绑定实体");
            return;
        }

        if (action.Fields is not { Count: > 0 })
        {
            problem("fields", "set-fields 至少要设置一个字段");
        }

        CheckFields(action.Fields, context.Entity, context, problem);
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var values = EvaluateFields(action.Fields, context);
        return new RuleActionPlan
        {
            Type = Name, Action = action, Values = new() { ["fields"] = values },
            Summary = $"设置字段 / set {string.Join(", ", values.Select(v => $"{v.Key} = {v.Value?.ToJsonString() ?? "null"}"))}",
        };
    }
}
