using System.Text.Json.Nodes;
using Platform.Core.Flows.Definitions;
using Platform.Designer.Localization;

namespace Platform.Designer.Flows;

/// <summary>A flow definition as the canvas script draws it: nodes (key, type, label, centre) and edges (from, to, label).</summary>
public static class FlowCanvasGraph
{
    public static string ToJson(FlowDefinition flow)
    {
        var nodes = new JsonArray();
        foreach (var step in flow.Steps)
        {
            nodes.Add(new JsonObject
            {
                ["id"] = step.Key,
                ["type"] = step.Type,
                ["label"] = NodeLabel(step),
                ["x"] = step.Position?.X ?? 0,
                ["y"] = step.Position?.Y ?? 0,
            });
        }

        var edges = new JsonArray();
        foreach (var t in flow.Transitions)
        {
            edges.Add(new JsonObject { ["source"] = t.From, ["target"] = t.To, ["label"] = EdgeLabel(t), ["isDefault"] = t.IsDefault });
        }

        return new JsonObject { ["nodes"] = nodes, ["edges"] = edges }.ToJsonString();
    }

    public static string NodeLabel(FlowStep step) => Text.Label(step.Name, step.NameEn, step.Key);

    /// <summary>The edge's own label, else its condition (shortened); an unlabelled default branch says so.</summary>
    public static string EdgeLabel(FlowTransition t)
    {
        var text = !string.IsNullOrWhiteSpace(t.Label) ? t.Label! : t.Condition ?? string.Empty;
        if (text.Length > 12)
        {
            text = string.Concat(text.AsSpan(0, 11), "…");
        }

        // A default branch is drawn dashed; without a label of its own it says so.
        return t.IsDefault && text.Length == 0 ? Text.T("默认", "default") : text;
    }
}
