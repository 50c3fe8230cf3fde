using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Steps;
using Platform.Core.Forms;

namespace Platform.Core.Flows.Runtime;

/// <summary>
/// One command being interpreted: the working copy of the instance and the effects collected so far. Step
/// types move the flow through it (enter, complete, open and close tasks, set timers, notify).
/// </summary>
public sealed class FlowExecution
{
    private const int MaxStepsPerCommand = 500;
    private int entered;

    internal FlowExecution(FlowContext context, FlowStepRegistry steps, FlowInstance instance, FlowActor actor)
    {
        Context = context;
        Steps = steps;
        Actor = actor;
        Result = new FlowResult { Instance = instance };
    }

    public FlowContext Context { get; }

    public FlowStepRegistry Steps { get; }

    public FlowActor Actor { get; }

    public FlowResult Result { get; }

    public FlowInstance Instance => Result.Instance;

    public FlowDefinition Definition => Context.Definition;

    public DateTimeOffset Now => Context.Now;

    /// <summary>Enters a step: records it, writes its status and lets its type act.</summary>
    public void Enter(string stepKey, string? from)
    {
        if (Instance.Status != FlowStatuses.Running)
        {
            return;
        }

        if (++entered > MaxStepsPerCommand)
        {
            throw new FlowDefinitionException($"流程在一次操作中进入了超过 {MaxStepsPerCommand} 个步骤，可能存在无等待的循环");
        }

        var step = Definition.FindStep(stepKey) ?? throw new FlowDefinitionException($"步骤 '{stepKey}' 不存在");
        var type = Steps.Get(step.Type);
        var state = new StepState { Step = step.Key, EnteredAt = Now, From = from };
        Instance.Active.Add(state);
        Instance.Visited.Add(step.Key);
        Result.Entered.Add(step.Key);
        if (step.RecordStatus is { } status && Definition.StatusField is { } field)
        {
            SetField(field, JsonValue.Create(status));
        }

        if (type.IsTaskStep)
        {
            History(step.Key, "enter", "system", null, isPublic: ShowOnTimeline(step, type));
        }

        type.Enter(this, step, state);
    }

    /// <summary>Leaves a step and follows its outgoing transitions.</summary>
    public void Complete(StepState state, string by)
    {
        if (!Instance.Active.Remove(state))
        {
            return;
        }

        CancelTimer(state);
        CloseStepTasks(state.Step, "cancelled", by, null);
        var step = Definition.FindStep(state.Step)!;
        Result.Completed.Add(step.Key);
        if (Steps.Get(step.Type).IsTaskStep)
        {
            Instance.LastDecision = new FlowDecision(step.Key, by, Now);
        }

        var next = Steps.Get(step.Type).NextSteps(this, step);
        foreach (var target in next)
        {
            Enter(target, step.Key);
        }
    }

    /// <summary>The one transition a non-parallel step follows: the first whose condition holds, else the default.</summary>
    public IReadOnlyList<string> ChooseTransition(FlowStep step)
    {
        FlowTransition? fallback = null;
        foreach (var t in Definition.Outgoing(step.Key))
        {
            if (t.IsDefault)
            {
                fallback ??= t;
                continue;
            }

            if (t.Condition is null || Condition(t.Condition))
            {
                return [t.To];
            }
        }

        return fallback is null
            ? throw new FlowDefinitionException($"步骤 '{step.Key}' 没有满足条件的出口，也没有默认分支")
            : [fallback.To];
    }

    /// <summary>Ends the flow: every active step and task is cancelled, every timer too.</summary>
    public void End(string status, string stepKey, string? comment)
    {
        foreach (var state in Instance.Active.ToList())
        {
            CancelTimer(state);
            CloseStepTasks(state.Step, FlowTaskStatuses.Cancelled, "system", null);
        }

        Instance.Active.Clear();
        Instance.Joins.Clear();
        Instance.Status = status;
        Instance.EndedAt = Now;
        if (status == FlowStatuses.Rejected && Definition.RejectedRecordStatus is { } rejected && Definition.StatusField is { } field)
        {
            SetField(field, JsonValue.Create(rejected));
        }

        History(stepKey, "end", "system", comment, isPublic: true, to: status);
        Notify(new FlowNotification
        {
            Users = [Instance.StartedBy],
            Kind = "result",
            Step = stepKey,
            Title = status switch
            {
                FlowStatuses.Completed => $"{Definition.Name}已完成",
                FlowStatuses.Rejected => $"{Definition.Name}被驳回",
                _ => $"{Definition.Name}已取消",
            },
            Body = comment,
        });
    }

    /// <summary>Leaves every active step (return to an earlier step, withdraw) without following transitions.</summary>
    public void AbandonActiveSteps(string by)
    {
        foreach (var state in Instance.Active.ToList())
        {
            CancelTimer(state);
            CloseStepTasks(state.Step, FlowTaskStatuses.Cancelled, by, null);
        }

        Instance.Active.Clear();
        Instance.Joins.Clear();
    }

    public FlowTask OpenTask(StepState state, FlowStep step, string? user, string? role, string kind, bool decides = false, Guid? reopens = null)
    {
        var task = new FlowTask
        {
            Id = Context.NewId(),
            Step = step.Key,
            Kind = kind,
            Assignee = user,
            Role = user is null ? role : null,
            CreatedAt = Now,
            DueAt = state.DueAt,
            Decides = decides,
            Reopens = reopens,
        };
        Instance.Tasks.Add(task);
        Result.OpenedTasks.Add(task);
        Notify(new FlowNotification
        {
            Users = user is null ? [] : [user],
            Roles = user is null && role is not null ? [role] : [],
            Kind = "task",
            Step = step.Key,
            TaskId = task.Id,
            Title = $"待办：{step.Title}",
            Body = Definition.Name,
        });
        return task;
    }

    public void CloseTask(FlowTask task, string status, string action, string by, string? comment)
    {
        if (!Instance.Tasks.Remove(task))
        {
            return;
        }

        Result.ChangedTasks.RemoveAll(t => t.Id == task.Id);
        Result.ClosedTasks.Add(new TaskClosure(task, status, action, by, Now, comment));
    }

    public void CloseStepTasks(string step, string status, string by, string? comment)
    {
        foreach (var task in Instance.Tasks.Where(t => t.Step == step).ToList())
        {
            CloseTask(task, status, status == FlowTaskStatuses.Cancelled ? "cancelled" : status, by, comment);
        }
    }

    public void TaskChanged(FlowTask task)
    {
        if (Result.OpenedTasks.Contains(task) || Result.ChangedTasks.Contains(task))
        {
            return;
        }

        Result.ChangedTasks.Add(task);
    }

    public void SetTimer(StepState state, string kind, DateTimeOffset dueAt)
    {
        CancelTimer(state);
        var timer = new FlowTimer(Context.NewId(), Instance.Id, state.Step, kind, dueAt);
        state.TimerId = timer.Id;
        state.DueAt = dueAt;
        Result.TimersSet.Add(timer);
        foreach (var task in Instance.Tasks.Where(t => t.Step == state.Step && t.DueAt != dueAt))
        {
            task.DueAt = kind == "deadline" ? dueAt : task.DueAt;
            TaskChanged(task);
        }
    }

    public void CancelTimer(StepState state)
    {
        if (state.TimerId is not { } id)
        {
            return;
        }

        state.TimerId = null;
        if (Result.TimersSet.RemoveAll(t => t.Id == id) == 0)
        {
            Result.TimersCancelled.Add(id);
        }
    }

    public FlowHistoryEntry History(string step, string action, string by, string? comment, bool isPublic = false, Guid? taskId = null, string? to = null, JsonObject? fields = null)
    {
        var entry = new FlowHistoryEntry
        {
            Seq = ++Instance.HistoryCount,
            Step = step,
            StepName = Definition.FindStep(step)?.Title ?? step,
            Action = action,
            By = by,
            At = Now,
            Comment = comment,
            TaskId = taskId,
            To = to,
            Fields = fields?.DeepClone().AsObject(),
            Public = isPublic,
        };
        Result.History.Add(entry);
        return entry;
    }

    public void Notify(FlowNotification notification)
    {
        if (notification.Users.Count > 0 || notification.Roles.Count > 0)
        {
            Result.Notifications.Add(notification);
        }
    }

    /// <summary>Sets a record field (status, automation) on the working record and in the result.</summary>
    public void SetField(string field, JsonNode? value)
    {
        Context.Record[field] = value?.DeepClone();
        Result.RecordChanges[field] = value?.DeepClone();
    }

    public bool Condition(string expression) => Context.Expressions.EvaluateBool(expression, Scope());

    public JsonNode? Evaluate(string expression) => Context.Expressions.Evaluate(expression, Scope());

    /// <summary>Most users one assignee expression may name.</summary>
    public const int MaxExpressionAssignees = 200;

    /// <summary>Longest user name an assignee expression may return (as the user field type allows).</summary>
    public const int MaxUserNameLength = 64;

    /// <summary>The record's fields (null when empty) plus <c>$initiator</c>, as expression variables.</summary>
    public ExpressionScope Scope()
    {
        var keys = FlowVariables.Names(Context.Entity);
        var variables = new Dictionary<string, JsonNode?>(keys.Count + 1, StringComparer.Ordinal);
        foreach (var key in keys)
        {
            variables[key] = Context.Record.TryGetPropertyValue(key, out var v) ? v : null;
        }

        variables[FlowVariables.Initiator] = JsonValue.Create(Instance.StartedBy);
        return new ExpressionScope(variables, Now, Actor.UserName);
    }

    /// <summary>Who a step's assignee spec names: user names, and roles kept as roles when <paramref name="expandRoles"/> is false.</summary>
    public (List<string> Users, List<string> Roles) ResolveAssignees(AssigneeSpec? spec, bool expandRoles)
    {
        var users = new List<string>();
        var roles = new List<string>();
        if (spec is null)
        {
            return (users, roles);
        }

        void AddUser(string? u)
        {
            if (!string.IsNullOrWhiteSpace(u) && !users.Contains(u))
            {
                users.Add(u);
            }
        }

        foreach (var u in spec.Users)
        {
            AddUser(u);
        }

        foreach (var role in spec.Roles)
        {
            if (expandRoles)
            {
                foreach (var u in Context.Directory.UsersInRole(role))
                {
                    AddUser(u);
                }
            }
            else if (!roles.Contains(role))
            {
                roles.Add(role);
            }
        }

        foreach (var department in spec.Departments)
        {
            foreach (var u in Context.Directory.UsersInDepartment(department))
            {
                AddUser(u);
            }
        }

        if (spec.UserField is { } field)
        {
            AddUser(field == FlowVariables.Initiator ? Instance.StartedBy : FieldValues.AsText(Context.Record[field]));
        }

        if (spec.Expression is { } expression)
        {
            var named = Evaluate(expression) switch
            {
                JsonArray array => array.Select(FieldValues.AsText).ToList(),
                JsonValue value => [FieldValues.AsText(value)],
                _ => [],
            };

            // Every name becomes a task row: an expression must not open thousands of tasks or store a name no user can have.
            if (named.Count > MaxExpressionAssignees || named.Any(n => n?.Length > MaxUserNameLength))
            {
                throw new ExpressionFault(expression, ExpressionFaultKind.Runtime, $"须返回至多 {MaxExpressionAssignees} 个用户名，每个至多 {MaxUserNameLength} 个字符 / must name at most {MaxExpressionAssignees} users of at most {MaxUserNameLength} characters");
            }

            named.ForEach(AddUser);
        }

        return (users, roles);
    }

    /// <summary>A deadline's due moment, counted on the calendar when it is in business time.</summary>
    public DateTimeOffset AddTime(DateTimeOffset from, TimeSpan duration, bool businessTime) =>
        businessTime ? Context.Calendar.AddWorkingTime(from, duration) : from + duration;

    private bool ShowOnTimeline(FlowStep step, FlowStepType type) => step.ShowOnTimeline ?? type.IsTaskStep;
}
