using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Flows.Definitions;
using Platform.Core.Metadata;

namespace Platform.Designer.Flows;

/// <summary>Places the validator's problems (JSON paths such as <c>$.steps[2].assignees</c>) on the canvas's nodes and edges.</summary>
public static partial class FlowProblemMap
{
    public static IReadOnlyList<FlowProblem> Place(FlowDefinition flow, IEnumerable<DefinitionProblem> problems) =>
        problems.Select(p => Place(flow, p.Path, p.Message)).ToList();

    public static FlowProblem Place(FlowDefinition flow, string path, string message)
    {
        var match = Indexed().Match(path);
        if (match.Success && int.TryParse(match.Groups[2].Value, out var index))
        {
            if (match.Groups[1].Value == "steps" && index < flow.Steps.Count)
            {
                return new FlowProblem(path, message, flow.Steps[index].Key, null, null);
            }

            if (match.Groups[1].Value == "transitions" && index < flow.Transitions.Count)
            {
                var t = flow.Transitions[index];
                return new FlowProblem(path, message, null, t.From, t.To);
            }
        }

        return new FlowProblem(path, message, null, null, null);
    }

    /// <summary>The problems as the canvas script reads them: { nodes: { key: [message] }, edges: [{ source, target, messages }] }.</summary>
    public static string ToCanvasJson(IEnumerable<FlowProblem> problems)
    {
        var list = problems.ToList();
        var nodes = new JsonObject();
        foreach (var group in list.Where(p => p.Step is not null).GroupBy(p => p.Step!))
        {
            nodes[group.Key] = new JsonArray(group.Select(p => (JsonNode)JsonValue.Create(p.Message)).ToArray());
        }

        var edges = new JsonArray();
        foreach (var group in list.Where(p => p.IsOnEdge).GroupBy(p => (p.From!, p.To!)))
        {
            edges.Add(new JsonObject
            {
                ["source"] = group.Key.Item1,
                ["target"] = group.Key.Item2,
                ["messages"] = new JsonArray(group.Select(p => (JsonNode)JsonValue.Create(p.Message)).ToArray()),
            });
        }

        return new JsonObject { ["nodes"] = nodes, ["edges"] = edges }.ToJsonString();
    }

    [GeneratedRegex(@"^\$\.(steps|transitions)\[(\d+)\]")]
    private static partial Regex Indexed();
}
