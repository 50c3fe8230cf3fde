using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>parallel</c> (并行分支): enters every outgoing edge at once (conditions, when given, filter them).</summary>
public sealed class ParallelSplitStepType : FlowStepType
{
    public override string Name => "parallel";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        if (context.Flow.Outgoing(step.Key).Count() < 2)
        {
            problems("transitions", $"并行分支 '{step.Key}' 至少需要两条出口");
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state) => execution.Complete(state, "system");

    public override IReadOnlyList<string> NextSteps(FlowExecution execution, FlowStep step) =>
        execution.Definition.Outgoing(step.Key).Where(t => t.Condition is null || execution.Condition(t.Condition)).Select(t => t.To).ToList();
}
