using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>cc</c> (抄送): notifies the users it names, lets them read the record, and passes on.</summary>
public sealed class CcStepType : FlowStepType
{
    public override string Name => "cc";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems) =>
        AssigneeChecks.Validate(step, context, problems);

    public override void Enter(FlowExecution execution, FlowStep step, StepState state)
    {
        var (users, _) = execution.ResolveAssignees(step.Assignees, expandRoles: true);
        if (users.Count > 0)
        {
            execution.Result.CcGrants.Add(new CcGrant(step.Key, users));
            execution.Notify(new FlowNotification { Users = users, Kind = "cc", Step = step.Key, Title = $"抄送：{step.Title}", Body = execution.Definition.Name });
        }

        execution.History(step.Key, "cc", "system", null, to: string.Join(",", users));
        execution.Complete(state, "system");
    }
}
