using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;

namespace Platform.Core.Flows.Steps;

/// <summary><c>join</c> (并行汇聚): waits until every incoming branch has arrived, then goes on once.</summary>
public sealed class JoinStepType : FlowStepType
{
    public override string Name => "join";

    public override void Validate(FlowStep step, FlowValidationContext context, Action<string, string> problems)
    {
        if (context.Flow.Incoming(step.Key).Count() < 2)
        {
            problems("transitions", $"并行汇聚 '{step.Key}' 至少需要两条入口");
        }
    }

    public override void Enter(FlowExecution execution, FlowStep step, StepState state)
    {
        var instance = execution.Instance;
        if (!instance.Joins.TryGetValue(step.Key, out var arrived))
        {
            instance.Joins[step.Key] = arrived = [];
        }

        arrived.Add(state.From ?? "?");
        var expected = execution.Definition.Incoming(step.Key).Count();
        var others = instance.Active.Where(s => s.Step == step.Key && s != state).ToList();
        foreach (var other in others)
        {
            instance.Active.Remove(other);
        }

        if (arrived.Count >= expected || !BranchesStillRunning(execution, step))
        {
            instance.Joins.Remove(step.Key);
            execution.Complete(state, "system");
        }
    }

    /// <summary>A branch that ended elsewhere (an exclusive choice inside it) never arrives; the join must not wait for it.</summary>
    private static bool BranchesStillRunning(FlowExecution execution, FlowStep join) =>
        execution.Instance.Active.Any(s => s.Step != join.Key && CanReach(execution.Definition, s.Step, join.Key));

    private static bool CanReach(FlowDefinition flow, string from, string to)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (current == to)
            {
                return true;
            }

            if (seen.Add(current))
            {
                foreach (var t in flow.Outgoing(current))
                {
                    queue.Enqueue(t.To);
                }
            }
        }

        return false;
    }
}
