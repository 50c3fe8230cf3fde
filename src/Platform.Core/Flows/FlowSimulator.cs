using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows;

/// <summary>
/// Dry-runs a flow against a sample record: starts it, lets each task's assignee decide (approve unless a
/// decision for the step says otherwise), fires waits at once, and reports the path. Nothing is written.
/// </summary>
public sealed class FlowSimulator(FlowInterpreter interpreter)
{
    private const int MaxActions = 200;

    public FlowSimulation Run(FlowContext context, IReadOnlyDictionary<string, string>? decisions = null, string initiator = "simulator")
    {
        var path = new List<SimulatedStep>();
        var result = interpreter.Start(context, Guid.NewGuid(), "simulation", Guid.Empty, new FlowActor(initiator, new HashSet<string>()));
        Collect(context, result, path, null);
        if (!result.IsOk)
        {
            return new FlowSimulation(FlowStatuses.Running, path, result.Error!.Message);
        }

        var instance = result.Instance;
        for (var i = 0; i < MaxActions && instance.Status == FlowStatuses.Running; i++)
        {
            var task = instance.Tasks.FirstOrDefault(t => t.Status == FlowTaskStatuses.Open);
            if (task is null)
            {
                var waiting = instance.Active.FirstOrDefault(s => s.TimerId is not null);
                if (waiting is null)
                {
                    return new FlowSimulation(instance.Status, path, "流程停在没有任务也没有计时器的步骤");
                }

                result = interpreter.FireTimer(context with { Now = waiting.DueAt ?? context.Now }, instance, waiting.TimerId!.Value, waiting.Step, "wait");
                Collect(context, result, path, "timer");
            }
            else
            {
                var action = decisions is not null && decisions.TryGetValue(task.Step, out var decided) ? decided : TaskActions.Approve;
                var actor = new FlowActor(task.Assignee ?? $"({task.Role})", task.Role is null ? new HashSet<string>() : new HashSet<string> { task.Role });
                result = interpreter.Act(context, instance, new TaskAction { TaskId = task.Id, Action = action, Actor = actor, Comment = "模拟" });
                var last = path.LastOrDefault(p => p.Step == task.Step);
                if (last is not null)
                {
                    last.Decisions.Add($"{actor.UserName}: {action}");
                }

                Collect(context, result, path, null);
            }

            if (!result.IsOk)
            {
                return new FlowSimulation(instance.Status, path, result.Error!.Message);
            }

            instance = result.Instance;
        }

        return new FlowSimulation(instance.Status, path, instance.Status == FlowStatuses.Running ? $"超过 {MaxActions} 次操作仍未结束" : null)
        {
            RecordChanges = context.Record.DeepClone().AsObject(),
        };
    }

    private static void Collect(FlowContext context, FlowResult result, List<SimulatedStep> path, string? via)
    {
        foreach (var key in result.Entered)
        {
            var step = context.Definition.FindStep(key)!;
            var tasks = result.OpenedTasks.Where(t => t.Step == key).Select(t => t.Assignee ?? $"role:{t.Role}").ToList();
            path.Add(new SimulatedStep(key, step.Type, step.Title, tasks) { Via = via });
        }

        foreach (var task in result.OpenedTasks.Where(t => !result.Entered.Contains(t.Step)))
        {
            path.LastOrDefault(p => p.Step == task.Step)?.Assignees.Add(task.Assignee ?? $"role:{task.Role}");
        }
    }
}
