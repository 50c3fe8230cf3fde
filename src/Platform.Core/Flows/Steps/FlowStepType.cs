using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary>
/// A step type: how a step of this type validates, what entering it does, how it answers task actions and
/// timers, and where it goes next. Registered by stable name in <see cref="FlowStepRegistry"/>.
/// </summary>
public abstract class FlowStepType
{
    /// <summary>The stable type name used in metadata.</summary>
    public abstract string Name { get; }

    /// <summary>True for steps that open tasks and wait for people.</summary>
    public virtual bool IsTaskStep => false;

    /// <summary>Adds problems of one step to <paramref name="problems"/>.</summary>
    public virtual void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
    }

    public abstract void Enter(FlowExecution execution, FlowStep step, StepState state);

    /// <summary>Where the flow goes after the step completes.</summary>
    public virtual IReadOnlyList<string> NextSteps(FlowExecution execution, FlowStep step) => execution.ChooseTransition(step);

    /// <summary>Answers an action on one of the step's tasks; returns an error to refuse it.</summary>
    public virtual FlowError? Act(FlowExecution execution, FlowStep step, StepState state, FlowTask task, TaskAction action) =>
        new(FlowErrorKind.Invalid, $"步骤类型 '{Name}' 不接受操作 '{action.Action}'", "action");

    /// <summary>A timer of the step fell due.</summary>
    public virtual void OnTimer(FlowExecution execution, FlowStep step, StepState state, string kind)
    {
    }

    /// <summary>The record changed while the step is active (due fields, pauses).</summary>
    public virtual void OnRecordChanged(FlowExecution execution, FlowStep step, StepState state)
    {
    }
}
