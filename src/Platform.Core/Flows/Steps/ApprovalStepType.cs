using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Forms;

namespace Platform.Core.Flows.Steps;

/// <summary>
/// <c>approval</c>: tasks for the assignees in one of four modes — single, countersign (会签, with an optional
/// pass percentage), or-sign (或签) and sequential — with transfer, add-signer, return-to-step and deadlines.
/// </summary>
public class ApprovalStepType : FlowStepType
{
    public override string Name => "approval";

    public override bool IsTaskStep => true;

    /// <summary>The kind of task this step opens.</summary>
    protected virtual string TaskKind => "approval";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        AssigneeChecks.Validate(step, context, problems);
        if (!ApprovalModes.All.Contains(step.Mode))
        {
            problems("mode", $"审批方式 '{step.Mode}' 无效：应为 {string.Join(", ", ApprovalModes.All)}");
        }

        if (step.PassPercent is { } pct && (pct < 1 || pct > 100))
        {
            problems("passPercent", "通过比例应在 1 到 100 之间");
        }

        if (step.RejectTo is { } to && context.Flow.FindStep(to) is not { } target)
        {
            problems("rejectTo", $"驳回目标步骤 '{to}' 不存在");
        }
        else if (step.RejectTo is { } to2 && context.Steps.TryGet(context.Flow.FindStep(to2)!.Type, out var t) && !t.IsTaskStep)
        {
            problems("rejectTo", $"驳回目标 '{to2}' 不是审批或办理步骤");
        }

        if (step.Fields is { } fields)
        {
            foreach (var (list, name) in new[] { (fields.Editable, "editable"), (fields.ReadOnly, "readOnly"), (fields.Hidden, "hidden"), (fields.Required, "required") })
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (!context.HasField(list[i]))
                    {
                        problems($"fields.{name}[{i}]", $"字段 '{list[i]}' 不存在");
                    }
                }
            }
        }

        if (step.Deadline is { } deadline)
        {
            if (deadline.Duration is null && deadline.DueField is null)
            {
                problems("deadline", "时限需要时长（minutes/hours）或截止日期字段（dueField）");
            }

            if (deadline.DueField is { } due && !context.HasField(due))
            {
                problems("deadline.dueField", $"字段 '{due}' 不存在");
            }

            if (!DeadlineActions.All.Contains(deadline.Action))
            {
                problems("deadline.action", $"超时动作 '{deadline.Action}' 无效：应为 {string.Join(", ", DeadlineActions.All)}");
            }

            if (deadline.Action == DeadlineActions.Escalate && string.IsNullOrWhiteSpace(deadline.NotifyRole))
            {
                problems("deadline.notifyRole", "升级（escalate）需要指定升级到的角色 notifyRole");
            }

            if (deadline.PauseWhen is { } pause && context.CheckExpression(pause) is { } problem)
            {
                problems("deadline.pauseWhen", problem);
            }
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state)
    {
        SetDeadline(execution, step, state);
        var mode = step.Mode;
        var expand = mode is ApprovalModes.Countersign or ApprovalModes.Sequential;
        var (users, roles) = execution.ResolveAssignees(step.Assignees, expand);
        if (users.Count == 0 && roles.Count == 0)
        {
            execution.History(step.Key, "no-assignee", "system", "未找到处理人，已交给管理员");
            roles.Add("admin");
        }

        switch (mode)
        {
            case ApprovalModes.Countersign:
                state.Candidates = users;
                state.Total = users.Count + roles.Count;
                break;
            case ApprovalModes.Sequential:
                state.Candidates = users;
                state.Total = users.Count;
                if (users.Count > 0)
                {
                    execution.OpenTask(state, step, users[0], null, TaskKind);
                    state.NextCandidate = 1;
                    return;
                }

                break;
        }

        foreach (var user in users)
        {
            execution.OpenTask(state, step, user, null, TaskKind);
        }

        foreach (var role in roles)
        {
            execution.OpenTask(state, step, null, role, TaskKind);
        }
    }

    public override FlowError? Act(FlowExecution execution, FlowStep step, StepState state, FlowTask task, TaskAction action)
    {
        var by = action.Actor.UserName;
        switch (action.Action)
        {
            case TaskActions.Approve:
                if (task.Status != FlowTaskStatuses.Open)
                {
                    return new FlowError(FlowErrorKind.Conflict, "该任务正在等待加签人处理");
                }

                if (step.Fields?.Required is { Count: > 0 } required)
                {
                    var missing = required.Where(f => FieldValues.IsEmpty(execution.Context.Record[f])).ToList();
                    if (missing.Count > 0)
                    {
                        var fields = missing.Select(execution.Context.Entity.FindField).ToList();
                        var zh = string.Join("、", missing.Select((key, i) => fields[i]?.Label ?? key));
                        var en = string.Join(", ", missing.Select((key, i) => fields[i]?.LabelEn ?? fields[i]?.Label ?? key));
                        return new FlowError(FlowErrorKind.Invalid, $"请先填写：{zh}", missing[0]) { MessageEn = $"Fill in first: {en}" };
                    }
                }

                state.Touched = true;
                execution.CloseTask(task, FlowTaskStatuses.Done, action.Action, by, action.Comment);
                execution.History(step.Key, action.Action, by, action.Comment, isPublic: true, taskId: task.Id, fields: action.Fields);
                Approve(execution, step, state, task);
                return null;

            case TaskActions.Reject:
            case TaskActions.Return:
                var to = action.To ?? (action.Action == TaskActions.Return ? null : step.RejectTo);
                if (action.Action == TaskActions.Return && to is null)
                {
                    return new FlowError(FlowErrorKind.Invalid, "退回需要指定目标步骤（to）", "to");
                }

                if (to is not null && !CanReturnTo(execution, to))
                {
                    return new FlowError(FlowErrorKind.Invalid, $"只能退回到已经过的审批或办理步骤，'{to}' 不是", "to");
                }

                state.Touched = true;
                execution.CloseTask(task, FlowTaskStatuses.Done, action.Action, by, action.Comment);
                execution.History(step.Key, action.Action, by, action.Comment, isPublic: true, taskId: task.Id, to: to, fields: action.Fields);
                Reject(execution, step, state, task, to, action.Comment, by);
                return null;

            case TaskActions.Transfer:
                if (string.IsNullOrWhiteSpace(action.To))
                {
                    return new FlowError(FlowErrorKind.Invalid, "转交需要指定用户（to）", "to");
                }

                if (action.To == task.Assignee)
                {
                    return new FlowError(FlowErrorKind.Invalid, "不能转交给当前处理人", "to");
                }

                task.Assignee = action.To;
                task.Role = null;
                execution.TaskChanged(task);
                execution.History(step.Key, action.Action, by, action.Comment, taskId: task.Id, to: action.To);
                execution.Notify(new FlowNotification { Users = [action.To], Kind = "task", Step = step.Key, TaskId = task.Id, Title = $"转交给你：{step.Title}", Body = action.Comment });
                return null;

            case TaskActions.AddSigner:
                if (string.IsNullOrWhiteSpace(action.To))
                {
                    return new FlowError(FlowErrorKind.Invalid, "加签需要指定用户（to）", "to");
                }

                if (action.Position is "before")
                {
                    task.Status = FlowTaskStatuses.Waiting;
                    execution.TaskChanged(task);
                    execution.OpenTask(state, step, action.To, null, TaskKind, reopens: task.Id);
                }
                else if (action.Position is null or "after")
                {
                    task.ThenSigners.Add(action.To);
                    execution.TaskChanged(task);
                }
                else
                {
                    return new FlowError(FlowErrorKind.Invalid, "加签位置应为 before 或 after", "position");
                }

                execution.History(step.Key, action.Action, by, action.Comment, taskId: task.Id, to: $"{action.To} ({action.Position ?? "after"})");
                return null;

            default:
                return base.Act(execution, step, state, task, action);
        }
    }

    public override void OnTimer(FlowExecution execution, FlowStep step, StepState state, string kind)
    {
        var deadline = step.Deadline;
        if (deadline is null)
        {
            return;
        }

        var assignees = execution.Instance.Tasks.Where(t => t.Step == step.Key).ToList();
        var users = assignees.Where(t => t.Assignee is not null).Select(t => t.Assignee!).Distinct().ToList();
        var roles = assignees.Where(t => t.Assignee is null && t.Role is not null).Select(t => t.Role!).Distinct().ToList();
        switch (deadline.Action)
        {
            case DeadlineActions.Remind:
                if (deadline.NotifyRole is { } remindRole)
                {
                    roles.Add(remindRole);
                }

                execution.History(step.Key, "remind", "system", "已超时，提醒处理");
                execution.Notify(new FlowNotification { Users = users, Roles = roles, Kind = "remind", Step = step.Key, Title = $"已超时：{step.Title}", Body = execution.Definition.Name });
                if (deadline.RepeatMinutes is { } repeat && repeat > 0)
                {
                    var due = state.DueAt;
                    execution.SetTimer(state, "deadline", execution.Now.AddMinutes(repeat));
                    state.DueAt = due;
                }
                else
                {
                    state.TimerId = null;
                }

                break;

            case DeadlineActions.Escalate:
                state.TimerId = null;
                execution.History(step.Key, "escalate", "system", $"已超时，升级给 {deadline.NotifyRole}", to: deadline.NotifyRole);
                execution.OpenTask(state, step, null, deadline.NotifyRole, TaskKind, decides: true);
                execution.Notify(new FlowNotification { Users = users, Roles = roles, Kind = "escalate", Step = step.Key, Title = $"已超时并升级：{step.Title}" });
                break;

            case DeadlineActions.AutoApprove:
                state.TimerId = null;
                execution.History(step.Key, "auto-approve", "system", "超时自动通过", isPublic: true);
                foreach (var task in assignees)
                {
                    execution.CloseTask(task, FlowTaskStatuses.Done, "auto-approve", "system", null);
                }

                execution.Complete(state, "system");
                break;

            case DeadlineActions.AutoReject:
                state.TimerId = null;
                execution.History(step.Key, "auto-reject", "system", "超时自动驳回", isPublic: true);
                foreach (var task in assignees)
                {
                    execution.CloseTask(task, FlowTaskStatuses.Done, "auto-reject", "system", null);
                }

                RejectStep(execution, step, state, step.RejectTo, "超时自动驳回", "system");
                break;
        }
    }

    public override void OnRecordChanged(FlowExecution execution, FlowStep step, StepState state)
    {
        if (step.Deadline is not { } deadline)
        {
            return;
        }

        if (deadline.PauseWhen is { } pause)
        {
            var paused = execution.Condition(pause);
            if (paused && state.PausedSecondsLeft is null && state.DueAt is { } due)
            {
                var left = deadline.BusinessTime ? execution.Context.Calendar.WorkingTimeBetween(execution.Now, due) : due - execution.Now;
                state.PausedSecondsLeft = Math.Max(0, left.TotalSeconds);
                execution.CancelTimer(state);
                execution.History(step.Key, "pause", "system", "等待客户，计时暂停");
                return;
            }

            if (!paused && state.PausedSecondsLeft is { } seconds)
            {
                state.PausedSecondsLeft = null;
                execution.SetTimer(state, "deadline", execution.AddTime(execution.Now, TimeSpan.FromSeconds(seconds), deadline.BusinessTime));
                execution.History(step.Key, "resume", "system", "计时恢复");
                return;
            }

            if (paused)
            {
                return;
            }
        }

        if (deadline.DueField is { } field && FieldValues.AsText(execution.Context.Record[field]) != state.DueFieldValue)
        {
            SetDeadline(execution, step, state);
        }
    }

    private static void SetDeadline(FlowExecution execution, FlowStep step, StepState state)
    {
        if (step.Deadline is not { } deadline)
        {
            return;
        }

        DateTimeOffset? due = null;
        if (deadline.DueField is { } field)
        {
            var text = FieldValues.AsText(execution.Context.Record[field]);
            state.DueFieldValue = text;
            due = DueMoments.Parse(text);
        }

        if (due is null && deadline.Duration is { } duration)
        {
            due = execution.AddTime(state.EnteredAt, duration, deadline.BusinessTime);
        }

        if (due is { } at)
        {
            execution.SetTimer(state, "deadline", at);
        }
        else
        {
            execution.CancelTimer(state);
            state.DueAt = null;
        }
    }

    private void Approve(FlowExecution execution, FlowStep step, StepState state, FlowTask task)
    {
        if (task.ThenSigners.Count > 0)
        {
            var next = execution.OpenTask(state, step, task.ThenSigners[0], null, TaskKind, task.Decides);
            next.ThenSigners.AddRange(task.ThenSigners.Skip(1));
            return;
        }

        if (task.Reopens is { } waitingId && execution.Instance.FindTask(waitingId) is { } waiting)
        {
            waiting.Status = FlowTaskStatuses.Open;
            execution.TaskChanged(waiting);
            return;
        }

        state.Approvals++;
        if (task.Decides)
        {
            execution.Complete(state, task.Assignee ?? "system");
            return;
        }

        switch (step.Mode)
        {
            case ApprovalModes.Countersign:
                var needed = step.PassPercent is { } pct ? (int)Math.Ceiling(state.Total * pct / 100.0) : state.Total;
                if (state.Approvals >= needed)
                {
                    execution.Complete(state, execution.Actor.UserName);
                }

                break;

            case ApprovalModes.Sequential when state.NextCandidate < state.Candidates.Count:
                execution.OpenTask(state, step, state.Candidates[state.NextCandidate++], null, TaskKind);
                break;

            default:
                execution.Complete(state, execution.Actor.UserName);
                break;
        }
    }

    private static void Reject(FlowExecution execution, FlowStep step, StepState state, FlowTask task, string? to, string? comment, string by)
    {
        if (to is null && step.Mode == ApprovalModes.Countersign && step.PassPercent is { } pct && !task.Decides)
        {
            state.Rejections++;
            var needed = (int)Math.Ceiling(state.Total * pct / 100.0);
            if (state.Total - state.Rejections >= needed)
            {
                return;
            }
        }

        RejectStep(execution, step, state, to, comment, by);
    }

    private static void RejectStep(FlowExecution execution, FlowStep step, StepState state, string? to, string? comment, string by)
    {
        if (to is null)
        {
            execution.End(FlowStatuses.Rejected, step.Key, comment);
            return;
        }

        execution.AbandonActiveSteps(by);
        execution.Enter(to, step.Key);
    }

    private static bool CanReturnTo(FlowExecution execution, string to) =>
        execution.Instance.Visited.Contains(to)
        && execution.Definition.FindStep(to) is { } target
        && execution.Steps.TryGet(target.Type, out var type) && type.IsTaskStep;
}
