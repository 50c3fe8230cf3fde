namespace Platform.Core.Rules.Actions;

/// <summary><c>flow-reject</c>: rejects the step's open task (the flow ends rejected).</summary>
public sealed class FlowRejectAction : FlowStepAction
{
    public override string Name => "flow-reject";

    protected override string Verb => "reject";
}
