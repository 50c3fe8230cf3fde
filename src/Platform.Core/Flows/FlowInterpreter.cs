using Platform.Core.Expressions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Flows.Steps;

namespace Platform.Core.Flows;

/// <summary>
/// The flow engine: a pure function (definition, instance, command) → (instance', effects). It does no I/O; the
/// runtime writes the result in the command's transaction. The instance passed in is never changed.
/// </summary>
public sealed class FlowInterpreter(FlowStepRegistry steps)
{
    public FlowStepRegistry Steps { get; } = steps;

    /// <summary>Starts an instance for a record: enters the start step and runs until people or timers are needed.</summary>
    public FlowResult Start(FlowContext context, Guid instanceId, string app, Guid recordId, FlowActor initiator)
    {
        var instance = new FlowInstance
        {
            Id = instanceId,
            App = app,
            Flow = context.Definition.Key,
            Version = context.Definition.Version,
            Entity = context.Definition.Entity,
            RecordId = recordId,
            StartedBy = initiator.UserName,
            StartedAt = context.Now,
        };
        return Run(context, instance, initiator, x =>
        {
            var start = context.Definition.Steps.FirstOrDefault(s => s.Type == "start")
                ?? throw new FlowDefinitionException("流程没有开始步骤");
            x.History(start.Key, "start", initiator.UserName, null, isPublic: true);
            x.Enter(start.Key, null);
            return null;
        });
    }

    /// <summary>True when the flow should start for this record (its <c>startWhen</c> holds or is absent).</summary>
    public bool ShouldStart(FlowContext context) =>
        context.Definition.StartWhen is not { } when
        || context.Expressions.EvaluateBool(when, new FlowExecution(context, Steps, new FlowInstance(), FlowActor.System).Scope());

    /// <summary>A user's action on one of the instance's tasks.</summary>
    public FlowResult Act(FlowContext context, FlowInstance instance, TaskAction action)
    {
        if (instance.Status != FlowStatuses.Running)
        {
            return FlowResult.Fail(instance, FlowErrorKind.Conflict, $"流程已{instance.Status}，任务已关闭");
        }

        if (instance.FindTask(action.TaskId) is null)
        {
            return FlowResult.Fail(instance, FlowErrorKind.Conflict, "该任务已被处理或已关闭");
        }

        if (!TaskActions.OnTask.Contains(action.Action))
        {
            return FlowResult.Fail(instance, FlowErrorKind.Invalid, $"未知操作 '{action.Action}'：应为 {string.Join(", ", TaskActions.OnTask)}", "action");
        }

        return Run(context, instance.Clone(), action.Actor, x =>
        {
            var task = x.Instance.FindTask(action.TaskId)!;
            if (!task.IsFor(action.Actor))
            {
                return new FlowError(FlowErrorKind.Forbidden, "只能处理分配给自己（或自己角色）的任务");
            }

            var step = context.Definition.FindStep(task.Step) ?? throw new FlowDefinitionException($"步骤 '{task.Step}' 不在版本 {context.Definition.Version} 中");
            var state = x.Instance.FindActive(task.Step) ?? throw new FlowDefinitionException($"任务的步骤 '{task.Step}' 不在进行中");
            switch (action.Action)
            {
                case TaskActions.Comment:
                    x.History(step.Key, TaskActions.Comment, action.Actor.UserName, action.Comment, taskId: task.Id);
                    return null;
                case TaskActions.Urge:
                    return new FlowError(FlowErrorKind.Invalid, "催办由发起人在流程实例上操作", "action");
            }

            return Steps.Get(step.Type).Act(x, step, state, task, action);
        });
    }

    /// <summary>Actions on the instance itself: withdraw (initiator or last decider, while the next step is untouched), urge, comment.</summary>
    public FlowResult ActOnInstance(FlowContext context, FlowInstance instance, string action, FlowActor actor, string? comment)
    {
        if (!TaskActions.OnInstance.Contains(action))
        {
            return FlowResult.Fail(instance, FlowErrorKind.Invalid, $"未知操作 '{action}'：应为 {string.Join(", ", TaskActions.OnInstance)}", "action");
        }

        if (instance.Status != FlowStatuses.Running && action != TaskActions.Comment)
        {
            return FlowResult.Fail(instance, FlowErrorKind.Conflict, $"流程已结束（{instance.Status}）");
        }

        return Run(context, instance.Clone(), actor, x =>
        {
            var here = x.Instance.Active.FirstOrDefault()?.Step ?? x.Instance.Visited.LastOrDefault() ?? "start";
            switch (action)
            {
                case TaskActions.Comment:
                    x.History(here, action, actor.UserName, comment);
                    return null;

                case TaskActions.Urge:
                    if (actor.UserName != x.Instance.StartedBy)
                    {
                        return new FlowError(FlowErrorKind.Forbidden, "只有发起人可以催办");
                    }

                    var open = x.Instance.Tasks.Where(t => t.Status == FlowTaskStatuses.Open).ToList();
                    x.History(here, action, actor.UserName, comment);
                    x.Notify(new FlowNotification
                    {
                        Users = open.Where(t => t.Assignee is not null).Select(t => t.Assignee!).Distinct().ToList(),
                        Roles = open.Where(t => t.Assignee is null && t.Role is not null).Select(t => t.Role!).Distinct().ToList(),
                        Kind = "urge",
                        Step = here,
                        Title = $"催办：{context.Definition.Name}",
                        Body = comment,
                    });
                    return null;

                default:
                    return Withdraw(x, actor, comment);
            }
        });
    }

    /// <summary>A timer fell due; stale timers (the step moved on, the deadline was recomputed) do nothing.</summary>
    public FlowResult FireTimer(FlowContext context, FlowInstance instance, Guid timerId, string step, string kind)
    {
        var state = instance.FindActive(step);
        if (instance.Status != FlowStatuses.Running || state is null || state.TimerId != timerId)
        {
            return new FlowResult { Instance = instance };
        }

        return Run(context, instance.Clone(), FlowActor.System, x =>
        {
            var s = x.Instance.FindActive(step)!;
            var definition = context.Definition.FindStep(step) ?? throw new FlowDefinitionException($"步骤 '{step}' 不存在");
            Steps.Get(definition.Type).OnTimer(x, definition, s, kind);
            return null;
        });
    }

    /// <summary>The record changed: due-date fields and pause conditions of the active steps are re-read.</summary>
    public FlowResult RecordChanged(FlowContext context, FlowInstance instance, FlowActor actor)
    {
        if (instance.Status != FlowStatuses.Running)
        {
            return new FlowResult { Instance = instance };
        }

        return Run(context, instance.Clone(), actor, x =>
        {
            foreach (var state in x.Instance.Active.ToList())
            {
                var step = context.Definition.FindStep(state.Step);
                if (step is not null)
                {
                    Steps.Get(step.Type).OnRecordChanged(x, step, state);
                }
            }

            return null;
        });
    }

    private static FlowError? Withdraw(FlowExecution x, FlowActor actor, string? comment)
    {
        var instance = x.Instance;
        if (instance.Active.Any(s => s.Touched))
        {
            return new FlowError(FlowErrorKind.Conflict, "下一步已有人处理，不能撤回");
        }

        var here = instance.Active.FirstOrDefault()?.Step ?? "start";
        if (actor.UserName == instance.StartedBy && instance.LastDecision is null)
        {
            x.History(here, TaskActions.Withdraw, actor.UserName, comment, isPublic: true);
            x.AbandonActiveSteps(actor.UserName);
            instance.Status = FlowStatuses.Cancelled;
            instance.EndedAt = x.Now;
            return null;
        }

        if (instance.LastDecision is { } last && last.By == actor.UserName)
        {
            x.History(here, TaskActions.Withdraw, actor.UserName, comment, to: last.Step);
            x.AbandonActiveSteps(actor.UserName);
            instance.LastDecision = null;
            x.Enter(last.Step, here);
            return null;
        }

        return new FlowError(FlowErrorKind.Forbidden, "只有发起人或上一步的处理人可以撤回");
    }

    private FlowResult Run(FlowContext context, FlowInstance working, FlowActor actor, Func<FlowExecution, FlowError?> body)
    {
        var execution = new FlowExecution(context, Steps, working, actor);
        try
        {
            if (body(execution) is { } error)
            {
                return FlowResult.Fail(working, error);
            }
        }
        catch (FlowDefinitionException e)
        {
            return FlowResult.Fail(working, FlowErrorKind.Invalid, e.Message);
        }
        catch (ExpressionFault e)
        {
            return FlowResult.Fail(working, FlowErrorKind.Invalid, $"流程条件或处理人表达式出错：{e.Reason}");
        }

        return execution.Result;
    }
}
