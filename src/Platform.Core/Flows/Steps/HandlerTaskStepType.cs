namespace Platform.Core.Flows.Steps;

/// <summary><c>task</c> (办理): the assignee does the work and fills the step's editable fields, then completes it (approve).</summary>
public sealed class HandlerTaskStepType : ApprovalStepType
{
    public override string Name => "task";

    protected override string TaskKind => "task";
}
