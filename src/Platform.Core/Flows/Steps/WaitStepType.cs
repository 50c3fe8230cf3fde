using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Forms;

namespace Platform.Core.Flows.Steps;

/// <summary><c>wait</c>: holds the flow for a duration or until the moment in a date field (a timer row, not a thread).</summary>
public sealed class WaitStepType : FlowStepType
{
    public override string Name => "wait";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        if (step.Wait is null || (step.Wait.Duration is null && step.Wait.UntilField is null))
        {
            problems("wait", $"等待步骤 '{step.Key}' 需要时长（minutes/hours）或日期字段（untilField）");
        }
        else if (step.Wait.UntilField is { } field && !context.HasField(field))
        {
            problems("wait.untilField", $"字段 '{field}' 不存在");
        }
        else if (step.Wait.Duration is { } d && d < TimeSpan.Zero)
        {
            problems("wait", "等待时长不能为负");
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state) => Schedule(execution, step, state);

    public override void OnTimer(FlowExecution execution, FlowStep step, StepState state, string kind)
    {
        execution.History(step.Key, "resume", "system", null);
        execution.Complete(state, "system");
    }

    public override void OnRecordChanged(FlowExecution execution, FlowStep step, StepState state)
    {
        if (step.Wait?.UntilField is { } field && FieldValues.AsText(execution.Context.Record[field]) != state.DueFieldValue)
        {
            Schedule(execution, step, state);
        }
    }

    private static void Schedule(FlowExecution execution, FlowStep step, StepState state)
    {
        var wait = step.Wait!;
        DateTimeOffset due;
        if (wait.UntilField is { } field)
        {
            var text = FieldValues.AsText(execution.Context.Record[field]);
            state.DueFieldValue = text;
            due = DueMoments.Parse(text) ?? execution.Now;
        }
        else
        {
            due = execution.AddTime(state.EnteredAt, wait.Duration!.Value, wait.BusinessTime);
        }

        execution.SetTimer(state, "wait", due);
    }
}
