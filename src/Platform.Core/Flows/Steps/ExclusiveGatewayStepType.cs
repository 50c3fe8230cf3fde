using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>gateway</c> (排他网关): takes the first outgoing edge whose condition holds, else the default edge.</summary>
public sealed class ExclusiveGatewayStepType : FlowStepType
{
    public override string Name => "gateway";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        var outgoing = context.Flow.Outgoing(step.Key).ToList();
        var defaults = outgoing.Count(t => t.IsDefault);
        if (defaults == 0)
        {
            problems("transitions", $"排他网关 '{step.Key}' 没有默认分支（isDefault）");
        }
        else if (defaults > 1)
        {
            problems("transitions", $"排他网关 '{step.Key}' 有多个默认分支");
        }

        if (outgoing.Any(t => !t.IsDefault && string.IsNullOrWhiteSpace(t.Condition)))
        {
            problems("transitions", $"排他网关 '{step.Key}' 的非默认分支必须有条件");
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state) => execution.Complete(state, "system");
}
