namespace Platform.Core.Rules.Actions;

/// <summary><c>flow-approve</c>: approves the step's open task.</summary>
public sealed class FlowApproveAction : FlowStepAction
{
    public override string Name => "flow-approve";

    protected override string Verb => "approve";
}
