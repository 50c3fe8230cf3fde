using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary><c>create-record</c>: creates a record of an entity (validated by the form engine; its flows start).</summary>
public sealed class CreateRecordAction : RuleActionType
{
    public override string Name => "create-record";

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        var target = action.Entity is null ? null : context.App.FindEntity(action.Entity);
        if (target is null)
        {
            problem("entity", $"实体 '{action.Entity}' 不存在");
            return;
        }

        CheckFields(action.Fields, target, context, problem);
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var data = EvaluateFields(action.Fields, context);
        return new RuleActionPlan
        {
            Type = Name, Action = action, Values = new() { ["entity"] = action.Entity, ["data"] = data },
            Summary = $"新建 {action.Entity} 记录 / create {action.Entity} {data.ToJsonString()}",
        };
    }
}
