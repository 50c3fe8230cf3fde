using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>Approves or rejects the open task of a step of the record's running flow, as <c>rule:key</c>.</summary>
public abstract class FlowStepAction : RuleActionType
{
    /// <summary>The task action verb sent to the flow engine.</summary>
    protected abstract string Verb { get; }

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        var step = action.Step ?? context.Rule.Trigger.Step;
        if (step is null)
        {
            problem("step", $"{Name} 需要指定步骤（或由步骤触发）");
        }
        else if (!context.App.Flows.Any(f => f.Entity == context.Entity?.Key && f.FindStep(step) is not null))
        {
            problem("step", $"实体 {context.Entity?.Key} 的流程中没有步骤 '{step}'");
        }

        if (context.CheckText(action.Comment) is { } p)
        {
            problem("comment", p);
        }
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var step = action.Step ?? context.Event.Step ?? string.Empty;
        var comment = context.Render(action.Comment);
        return new RuleActionPlan
        {
            Type = Name, Action = action, Values = new() { ["step"] = step, ["action"] = Verb, ["comment"] = comment },
            Summary = $"{Verb} 步骤 {step}：{comment}",
        };
    }
}
