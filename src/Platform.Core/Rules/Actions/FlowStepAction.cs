using System.Text.Json.Nodes;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>
/// Approves or rejects the open task of a step of a running flow, as <c>rule:key</c>: the flow of the triggering record, or
/// with <c>target</c> (a reference field) the flow of the record it points at, e.g. a customer's answer completing the
/// follow-up of the request it is about. <c>fields</c> (target field → expression over the triggering record) are written
/// onto the acted-on record as the step's input, so they must be editable at that step. No open task at the step: nothing
/// happens (the result says so).
/// </summary>
public abstract class FlowStepAction : RuleActionType
{
    /// <summary>The task action verb sent to the flow engine.</summary>
    protected abstract string Verb { get; }

    public override void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem)
    {
        var target = RuleActionTargets.EntityOf(action, context, problem);
        var step = action.Step ?? (action.Target is null or "self" ? context.Rule.Trigger.Step : null);
        var flowStep = target is null || step is null
            ? null
            : context.App.Flows.Where(f => f.Entity == target.Key).Select(f => f.FindStep(step)).FirstOrDefault(s => s is not null);
        if (step is null)
        {
            problem("step", $"{Name} 需要指定步骤（或由步骤触发）");
        }
        else if (flowStep is null && (target is not null || action.Target is null or "self"))
        {
            problem("step", $"实体 {target?.Key} 的流程中没有步骤 '{step}'");
        }

        if (context.CheckText(action.Comment) is { } p)
        {
            problem("comment", p);
        }

        foreach (var (key, expression) in action.Fields ?? new Dictionary<string, string>())
        {
            if (target is null)
            {
                break;
            }

            if (target.FindField(key) is null)
            {
                problem($"fields.{key}", $"实体 {target.Key} 没有字段 '{key}'");
            }
            else if (flowStep is not null && flowStep.Fields?.Editable.Contains(key) != true)
            {
                problem($"fields.{key}", $"字段 '{key}' 在步骤 {step} 不可编辑（fields.editable），规则也不能填写");
            }
            else if (context.CheckExpression(expression) is { } fault)
            {
                problem($"fields.{key}", fault);
            }
        }
    }

    public override RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context)
    {
        var step = action.Step ?? context.Event.Step ?? string.Empty;
        var comment = context.Render(action.Comment);
        var values = new JsonObject { ["step"] = step, ["action"] = Verb, ["comment"] = comment };
        var on = string.Empty;
        if (action.Target is not (null or "self"))
        {
            var targetId = context.Record[action.Target]?.ToString();
            values["target"] = targetId;
            on = $"（{action.Target} {targetId ?? "—"}）";
        }

        if (action.Fields is { Count: > 0 } fields)
        {
            var evaluated = new JsonObject();
            foreach (var (key, expression) in fields)
            {
                evaluated[key] = context.Evaluate(expression)?.DeepClone();
            }

            values["fields"] = evaluated;
        }

        return new RuleActionPlan
        {
            Type = Name, Action = action, Values = values,
            Summary = $"{Verb} 步骤 {step}{on}：{comment}",
        };
    }
}
