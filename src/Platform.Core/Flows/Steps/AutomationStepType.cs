using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>automation</c>: sets fields from expressions and hands rule actions to the runtime, then passes on.</summary>
public sealed class AutomationStepType : FlowStepType
{
    public override string Name => "automation";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        if ((step.SetFields is null || step.SetFields.Count == 0) && (step.Actions is null || step.Actions.Count == 0))
        {
            problems("setFields", $"自动化步骤 '{step.Key}' 没有任何动作");
        }

        foreach (var (field, expression) in step.SetFields ?? new Dictionary<string, string>())
        {
            if (!context.HasField(field))
            {
                problems($"setFields.{field}", $"字段 '{field}' 不存在");
            }
            else if (context.CheckExpression(expression) is { } problem)
            {
                problems($"setFields.{field}", problem);
            }
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state)
    {
        var changed = new System.Text.Json.Nodes.JsonObject();
        foreach (var (field, expression) in step.SetFields ?? new Dictionary<string, string>())
        {
            var value = execution.Evaluate(expression);
            execution.SetField(field, value);
            changed[field] = value?.DeepClone();
        }

        if (step.Actions is { Count: > 0 } actions)
        {
            execution.Result.Automations.Add(new AutomationRequest(step.Key, actions));
        }

        execution.History(step.Key, "automation", "system", null, fields: changed);
        execution.Complete(state, "system");
    }
}
