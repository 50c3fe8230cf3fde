using System.Text.RegularExpressions;
using Platform.Core.Expressions;
using Platform.Core.Flows.Definitions;
using Platform.Core.Flows.Steps;
using Platform.Core.Metadata;

namespace Platform.Core.Flows;

/// <summary>
/// Checks a flow before it is published: keys, known step types, one start and an end, edges between existing
/// steps, every step reachable and able to finish, gateways with a default, expressions that compile and read
/// existing fields, and each step type's own settings. Every problem carries its JSON path.
/// </summary>
public sealed partial class FlowValidator(FlowStepRegistry steps, IExpressionEngine expressions)
{
    public IReadOnlyList<DefinitionProblem> Validate(FlowDefinition flow, EntityDefinition? entity, string path = "$")
    {
        var problems = new List<DefinitionProblem>();
        void Add(string at, string message) => problems.Add(new DefinitionProblem(at, message));

        if (!Key().IsMatch(flow.Key ?? string.Empty))
        {
            Add($"{path}.key", $"流程标识 '{flow.Key}' 无效：须为小写字母开头的 snake_case");
        }

        if (string.IsNullOrWhiteSpace(flow.Name))
        {
            Add($"{path}.name", "流程名称不能为空");
        }

        if (entity is null)
        {
            Add($"{path}.entity", $"流程绑定的实体 '{flow.Entity}' 不存在");
        }

        if (flow.StartOn is not ("create" or "manual"))
        {
            Add($"{path}.startOn", $"启动方式 '{flow.StartOn}' 无效：应为 create 或 manual");
        }

        var context = new FlowValidationContext(flow, entity, expressions, steps);
        if (flow.StartWhen is { } when && context.CheckExpression(when) is { } startProblem)
        {
            Add($"{path}.startWhen", startProblem);
        }

        if (flow.StatusField is { } statusField && !context.HasField(statusField))
        {
            Add($"{path}.statusField", $"状态字段 '{statusField}' 不存在");
        }

        if (flow.Robot is { } robot)
        {
            if (robot.Provider is not ("wecom" or "dingtalk" or "feishu"))
            {
                Add($"{path}.robot.provider", $"机器人类型 '{robot.Provider}' 无效：应为 wecom, dingtalk 或 feishu");
            }

            if (string.IsNullOrWhiteSpace(robot.Connector) && !(Uri.TryCreate(robot.Url, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp)))
            {
                Add($"{path}.robot.url", "需要 connector 或完整的机器人 webhook 地址 / a connector or the robot's webhook URL is required");
            }

            for (var k = 0; k < robot.Kinds.Count; k++)
            {
                if (!FlowRobot.AllKinds.Contains(robot.Kinds[k]))
                {
                    Add($"{path}.robot.kinds[{k}]", $"通知类型 '{robot.Kinds[k]}' 无效，可选 {string.Join(", ", FlowRobot.AllKinds)}");
                }
            }
        }

        var keys = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < flow.Steps.Count; i++)
        {
            var step = flow.Steps[i];
            var stepPath = $"{path}.steps[{i}]";
            if (!Key().IsMatch(step.Key ?? string.Empty))
            {
                Add($"{stepPath}.key", $"步骤标识 '{step.Key}' 无效");
            }
            else if (!keys.TryAdd(step.Key!, i))
            {
                Add($"{stepPath}.key", $"步骤标识 '{step.Key}' 重复");
            }

            if (!steps.TryGet(step.Type, out var type))
            {
                Add($"{stepPath}.type", $"未知的步骤类型 '{step.Type}'：可用类型为 {string.Join(", ", steps.Names)}");
                continue;
            }

            type.Validate(step, context, (sub, message) => Add($"{stepPath}.{sub}", message));
        }

        var starts = flow.Steps.Where(s => s.Type == "start").ToList();
        if (starts.Count != 1)
        {
            Add($"{path}.steps", starts.Count == 0 ? "流程需要一个开始步骤（type: start）" : "流程只能有一个开始步骤");
        }

        if (!flow.Steps.Any(s => s.Type == "end"))
        {
            Add($"{path}.steps", "流程需要至少一个结束步骤（type: end）");
        }

        for (var i = 0; i < flow.Transitions.Count; i++)
        {
            var t = flow.Transitions[i];
            var tPath = $"{path}.transitions[{i}]";
            if (!keys.ContainsKey(t.From ?? string.Empty))
            {
                Add($"{tPath}.from", $"连线起点步骤 '{t.From}' 不存在");
            }

            if (!keys.ContainsKey(t.To ?? string.Empty))
            {
                Add($"{tPath}.to", $"连线终点步骤 '{t.To}' 不存在");
            }

            if (t.Condition is { } condition && context.CheckExpression(condition) is { } problem)
            {
                Add($"{tPath}.condition", problem);
            }

            if (flow.FindStep(t.To ?? string.Empty)?.Type == "start")
            {
                Add($"{tPath}.to", "不能连回开始步骤");
            }

            if (flow.FindStep(t.From ?? string.Empty)?.Type == "end")
            {
                Add($"{tPath}.from", "结束步骤不能有出口");
            }
        }

        for (var i = 0; i < flow.Steps.Count; i++)
        {
            var step = flow.Steps[i];
            if (step.Type != "end" && !string.IsNullOrEmpty(step.Key) && !flow.Outgoing(step.Key).Any())
            {
                Add($"{path}.steps[{i}]", $"步骤 '{step.Key}' 没有出口连线，流程会停在这里");
            }
        }

        if (starts.Count == 1)
        {
            var reachable = Reachable(flow, starts[0].Key);
            for (var i = 0; i < flow.Steps.Count; i++)
            {
                if (!reachable.Contains(flow.Steps[i].Key))
                {
                    Add($"{path}.steps[{i}]", $"步骤 '{flow.Steps[i].Key}' 无法从开始步骤到达");
                }
            }
        }

        return problems;
    }

    private static HashSet<string> Reachable(FlowDefinition flow, string start)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([start]);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            if (!seen.Add(current))
            {
                continue;
            }

            foreach (var t in flow.Outgoing(current))
            {
                queue.Enqueue(t.To);
            }

            if (flow.FindStep(current)?.RejectTo is { } back)
            {
                queue.Enqueue(back);
            }
        }

        return seen;
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Key();
}
