using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>end</c>: finishes the instance as completed (default) or rejected.</summary>
public sealed class EndStepType : FlowStepType
{
    public override string Name => "end";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        if (step.EndStatus is not (null or FlowStatuses.Completed or FlowStatuses.Rejected))
        {
            problems("endStatus", $"结束状态 '{step.EndStatus}' 无效：应为 completed 或 rejected");
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state) =>
        execution.End(step.EndStatus ?? FlowStatuses.Completed, step.Key, null);

    public override IReadOnlyList<string> NextSteps(FlowExecution execution, FlowStep step) => [];
}
