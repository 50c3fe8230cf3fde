using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Runtime;
using Platform.Core.Flows.Steps;
using Platform.Core.Metadata;

namespace Platform.Core.Flows;

/// <summary>
/// Moves a running instance to a newer version of its flow with a step mapping (old key → new key; unmapped
/// keys keep their name). Refused when any active step, task or join would land on no step or on a step of
/// another kind.
/// </summary>
public sealed class FlowMigration(FlowStepRegistry steps)
{
    public (FlowInstance? Instance, IReadOnlyList<DefinitionProblem> Problems) Migrate(
        FlowInstance instance, FlowDefinition from, FlowDefinition to, IReadOnlyDictionary<string, string> mapping)
    {
        var problems = new List<DefinitionProblem>();
        if (instance.Status != FlowStatuses.Running)
        {
            problems.Add(new("$.instance", $"实例 {instance.Id} 已结束（{instance.Status}），无需迁移"));
        }

        if (to.Version <= instance.Version)
        {
            problems.Add(new("$.toVersion", $"目标版本 {to.Version} 不比实例的版本 {instance.Version} 新"));
        }

        foreach (var (old, target) in mapping)
        {
            if (from.FindStep(old) is null)
            {
                problems.Add(new($"$.mapping.{old}", $"旧版本中没有步骤 '{old}'"));
            }

            if (to.FindStep(target) is null)
            {
                problems.Add(new($"$.mapping.{old}", $"新版本中没有步骤 '{target}'"));
            }
        }

        string Map(string key) => mapping.TryGetValue(key, out var t) ? t : key;

        foreach (var state in instance.Active)
        {
            var target = Map(state.Step);
            var oldStep = from.FindStep(state.Step);
            var newStep = to.FindStep(target);
            if (newStep is null)
            {
                problems.Add(new($"$.mapping.{state.Step}", $"活动步骤 '{state.Step}' 在版本 {to.Version} 中没有对应步骤，令牌将无处可去"));
            }
            else if (oldStep is not null && Kind(oldStep) != Kind(newStep))
            {
                problems.Add(new($"$.mapping.{state.Step}", $"活动步骤 '{state.Step}'（{oldStep.Type}）不能映射到类型不同的 '{target}'（{newStep.Type}）"));
            }
        }

        foreach (var join in instance.Joins.Keys)
        {
            if (to.FindStep(Map(join)) is null)
            {
                problems.Add(new($"$.mapping.{join}", $"等待汇聚的步骤 '{join}' 在新版本中不存在"));
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var moved = instance.Clone();
        moved.Version = to.Version;
        foreach (var state in moved.Active)
        {
            state.Step = Map(state.Step);
            state.From = state.From is null ? null : Map(state.From);
        }

        foreach (var task in moved.Tasks)
        {
            task.Step = Map(task.Step);
        }

        moved.Joins = moved.Joins.ToDictionary(j => Map(j.Key), j => j.Value.Select(Map).ToList());
        moved.Visited = moved.Visited.Select(Map).ToList();
        if (moved.LastDecision is { } last)
        {
            moved.LastDecision = to.FindStep(Map(last.Step)) is null ? null : last with { Step = Map(last.Step) };
        }

        return (moved, problems);
    }

    private string Kind(FlowStep step) =>
        steps.TryGet(step.Type, out var type) ? (type.IsTaskStep ? "task" : type.Name) : step.Type;
}
