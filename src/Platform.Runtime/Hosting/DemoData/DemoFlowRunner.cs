using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Flows;
using Platform.Core.Flows.Calendars;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Metadata;
using Platform.Core.Rules.Definitions;
using Platform.Runtime.Execution;

namespace Platform.Runtime.Hosting.DemoData;

/// <summary>
/// Plays the demo records' flow stories through the real, pure flow interpreter with a fake clock: each flow starts
/// (as <see cref="FlowService.PrepareStartsAsync"/> starts it) at the record's creation, and each planned action is
/// taken, as its demo user (or rule) with that user's roles, at its planned moment; timers that fall due before the
/// next action fire on the way, as the timer worker would fire them, and so do the timers of <c>task.overdue</c> rules
/// (set when a step is entered, firing when it is still open; see <see cref="DemoOverdue"/>). Nothing is written here: the result holds the
/// writes the runtime's own commands would have made. A plan that does not fit the flow (no open task at the step,
/// the flow ended early or did not end) is refused.
/// </summary>
public sealed class DemoFlowRunner(FlowInterpreter interpreter, ExpressionLimits limits)
{
    private readonly IExpressionEngine expressions = DemoDataLoader.PatientEngine(limits);

    /// <summary>The node name timer firings of the demo data are logged under.</summary>
    public const string Node = "demo-data";

    private static readonly IReadOnlySet<string> NoRoles = new HashSet<string>();

    private static readonly Dictionary<string, IReadOnlySet<string>> Roles =
        DemoUser.All.ToDictionary(u => u.UserName, u => (IReadOnlySet<string>)u.Roles.ToHashSet(StringComparer.Ordinal), StringComparer.Ordinal);

    /// <summary>
    /// Who holds which role while the demo history happened: the demo users only (sorted by name, as the runtime's
    /// directory lists them), whoever else the users table holds by now.
    /// </summary>
    public static IFlowDirectory Directory { get; } =
        new DictionaryFlowDirectory(DemoUser.All.OrderBy(u => u.UserName, StringComparer.Ordinal).Select(u => (u.UserName, (IEnumerable<string>)u.Roles, (string?)null)));

    /// <summary>
    /// Starts and plays the flows of <paramref name="records"/> (validated data, changed in place by the start: it is
    /// what the record is inserted with, as for a record created through the API).
    /// </summary>
    public DemoFlowRun Run(AppDefinition app, IReadOnlyList<(DemoRecord Record, JsonObject Data)> records, Func<string?, BusinessCalendar> calendars, DateTimeOffset now)
    {
        // One record after another on purpose: expression limits count wall-clock time, so playing on every core of a busy machine could time a condition out.
        var run = new DemoFlowRun();
        foreach (var (record, data) in records)
        {
            Play(run, app, record, data, Directory, calendars, now);
        }

        return run;
    }

    private void Play(DemoFlowRun run, AppDefinition app, DemoRecord record, JsonObject data, IFlowDirectory directory, Func<string?, BusinessCalendar> calendars, DateTimeOffset now)
    {
        var entity = app.FindEntity(record.Entity)!;
        var played = false;
        foreach (var flow in app.Flows)
        {
            if (flow.Entity != record.Entity || flow.StartOn != "create")
            {
                continue;
            }

            var calendar = calendars(flow.Calendar);
            if (!interpreter.ShouldStart(Context(flow, entity, data, record.CreatedAt, directory, calendar)))
            {
                continue;
            }

            var plan = record.Flow?.Flow == flow.Key ? record.Flow : null;
            played |= plan is not null;
            Play(run, app, entity, flow, record, data, plan, directory, calendar, now);
        }

        if (record.Flow is { } unplayed && !played)
        {
            throw Refused(record, $"the record starts no flow {unplayed.Flow}");
        }
    }

    private void Play(
        DemoFlowRun run, AppDefinition app, EntityDefinition entity, FlowDefinition flow, DemoRecord record, JsonObject data, DemoFlowPlan? plan,
        IFlowDirectory directory, BusinessCalendar calendar, DateTimeOffset now)
    {
        var overdueRules = app.Rules
            .Where(r => r.Enabled && r.Trigger.Type == RuleTriggerTypes.TaskOverdue && r.Entity == entity.Key && (r.Trigger.Flow is null || r.Trigger.Flow == flow.Key) && r.Trigger.After is not null)
            .ToList();
        var overdue = new List<(string Rule, string Step, DateTimeOffset Due)>();
        var started = interpreter.Start(
            Context(flow, entity, data, record.CreatedAt, directory, calendar), Guid.CreateVersion7(record.CreatedAt), app.Key, record.Id, new FlowActor(record.CreatedBy, NoRoles));
        if (!started.IsOk)
        {
            throw Refused(record, $"{flow.Key} does not start: {started.Error!.Message}");
        }

        run.Writes.Add(FlowService.Write(started, flow, entity, record.CreatedBy, record.CreatedAt, null, null, null, directory, false));
        var instance = started.Instance;
        var rowVersion = 1;
        var current = data.DeepClone().AsObject();
        var timers = new List<FlowTimer>(started.TimersSet);
        SetOverdue(started, record.CreatedAt);
        foreach (var action in plan?.Actions ?? [])
        {
            FireDue(action.At);
            FireOverdue(action.At);
            var actor = action.ByRule ? FlowActor.Rule(action.By[5..]) : new FlowActor(action.By, Roles.GetValueOrDefault(action.By) ?? NoRoles);
            var task = instance.Tasks
                .Where(t => t.Step == action.Step && t.Status == FlowTaskStatuses.Open && t.IsFor(actor))
                .OrderBy(t => t.Assignee == actor.UserName ? 0 : 1)
                .FirstOrDefault()
                ?? throw Refused(record, $"no open task at {action.Step} for {action.By} at {action.At:O} (active: {string.Join(", ", instance.Active.Select(a => a.Step))}; status {instance.Status})");

            var before = current;
            var working = before.DeepClone().AsObject();
            foreach (var (key, value) in action.Fields ?? [])
            {
                working[key] = value?.DeepClone();
            }

            var changed = action.Fields is null ? null : RecordDiff.ChangedValues(before, working);
            var result = interpreter.Act(Context(flow, entity, working, action.At, directory, calendar), instance, new TaskAction
            {
                TaskId = task.Id, Action = action.Action, Actor = actor, Comment = action.Comment, Fields = action.ByRule ? null : changed,
            });
            if (!result.IsOk)
            {
                throw Refused(record, $"{action.Action} at {action.Step} by {action.By} refused: {result.Error!.Message}");
            }

            Apply(result, FlowService.Write(result, flow, entity, action.By, action.At, rowVersion, before, changed is { Count: > 0 } ? changed : null, directory, false), working);
            SetOverdue(result, action.At);
        }

        FireOverdue(now);
        run.PendingOverdue.AddRange(overdue.Where(o => instance.Status == FlowStatuses.Running && IsOpen(o.Step))
            .Select(o => new DemoOverdue(o.Rule, instance.Id, flow.Key, entity.Key, record.Id, o.Step, o.Due, current.DeepClone().AsObject())));

        if (plan is not null && plan.Ends != (instance.Status != FlowStatuses.Running))
        {
            throw Refused(record, plan.Ends ? $"the flow is still running at {string.Join(", ", instance.Active.Select(a => a.Step))}" : $"the flow ended early ({instance.Status})");
        }

        run.Instances[instance.Id] = instance;
        run.Records[record.Id] = current;

        void FireDue(DateTimeOffset until)
        {
            while (timers.Where(t => t.DueAt <= until).MinBy(t => t.DueAt) is { } timer)
            {
                timers.Remove(timer);

                // The worker polls every half second or so.
                var at = timer.DueAt.AddSeconds(1) <= until ? timer.DueAt.AddSeconds(1) : timer.DueAt;
                var working = current.DeepClone().AsObject();
                var result = interpreter.FireTimer(Context(flow, entity, working, at, directory, calendar), instance, timer.Id, timer.Step, timer.Kind);
                if (!result.IsOk || (result.History.Count == 0 && result.TimersSet.Count == 0 && result.Notifications.Count == 0))
                {
                    run.QuietFirings.Add((timer, at));
                    continue;
                }

                Apply(result, FlowService.Write(result, flow, entity, "system", at, rowVersion, current, null, directory, false) with { FiredTimer = timer, FiredBy = Node }, working);
                SetOverdue(result, at);
            }
        }

        bool IsOpen(string step) => instance.Tasks.Any(t => t.Step == step && t.Status == FlowTaskStatuses.Open);

        // What the rule runner does on step.entered: a timer per overdue rule of the step, after the rule's delay.
        void SetOverdue(FlowResult result, DateTimeOffset at)
        {
            foreach (var step in result.OpenedTasks.Select(t => t.Step).Distinct(StringComparer.Ordinal))
            {
                overdue.AddRange(overdueRules.Where(r => r.Trigger.Step == step).Select(r => (r.Key, step, at + r.Trigger.After!.ToTimeSpan())));
            }
        }

        // What the rule timer does when it falls due: the rule fires if a task of its step is still open, and the timer is gone either way.
        void FireOverdue(DateTimeOffset until)
        {
            foreach (var due in overdue.Where(o => o.Due < until).OrderBy(o => o.Due).ToList())
            {
                overdue.Remove(due);
                if (instance.Status == FlowStatuses.Running && IsOpen(due.Step))
                {
                    run.Overdue.Add(new DemoOverdue(due.Rule, instance.Id, flow.Key, entity.Key, record.Id, due.Step, due.Due, current.DeepClone().AsObject()));
                }
            }
        }

        void Apply(FlowResult result, Persistence.FlowWrite write, JsonObject after)
        {
            run.Writes.Add(write);
            rowVersion++;
            instance = result.Instance;
            current = after;
            timers.RemoveAll(t => result.TimersCancelled.Contains(t.Id));
            timers.AddRange(result.TimersSet);
        }
    }

    private FlowContext Context(FlowDefinition flow, EntityDefinition entity, JsonObject record, DateTimeOffset now, IFlowDirectory directory, BusinessCalendar calendar) => new()
    {
        Definition = flow,
        Entity = entity,
        Record = record,
        Now = now,
        Expressions = expressions,
        Directory = directory,
        Calendar = calendar,
        NewId = () => Guid.CreateVersion7(now),
    };

    private static InvalidOperationException Refused(DemoRecord record, string why) =>
        new($"Demo {record.Entity} {record.Id} (created {record.CreatedAt:O}): its flow plan does not fit the template: {why}.");
}
