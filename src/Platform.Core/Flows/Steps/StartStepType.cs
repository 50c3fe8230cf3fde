using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>start</c>: where every instance begins; passes straight on.</summary>
public sealed class StartStepType : FlowStepType
{
    public override string Name => "start";

    public override void Enter(FlowExecution execution, FlowStep step, StepState state) => execution.Complete(state, execution.Actor.UserName);
}
