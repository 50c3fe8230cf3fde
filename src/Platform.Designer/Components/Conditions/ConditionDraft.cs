using System.Text.Json.Nodes;
using Platform.Core.Rules.Definitions;

namespace Platform.Designer.Components.Conditions;

/// <summary>
/// The condition builder's editable tree: a group (且 all / 或 any) of comparisons and groups. Made from a
/// <see cref="ConditionNode"/> and turned back into one; the root is always a group.
/// </summary>
public sealed class ConditionDraft
{
    public bool IsGroup { get; set; }

    /// <summary>For a group: true for any (或), false for all (且).</summary>
    public bool Any { get; set; }

    public List<ConditionDraft> Items { get; } = [];

    public string? Field { get; set; }

    public string Op { get; set; } = "eq";

    public JsonNode? Value { get; set; }

    /// <summary>Compare with the result of this expression instead of <see cref="Value"/>.</summary>
    public bool UseExpression { get; set; }

    public string? ValueExpression { get; set; }

    public static ConditionDraft Group(bool any = false) => new() { IsGroup = true, Any = any };

    public static ConditionDraft Comparison(string? field = null, string op = "eq") => new() { Field = field, Op = op };

    /// <summary>The draft of <paramref name="node"/>; a single comparison at the top is wrapped in an all group, null gives an empty group.</summary>
    public static ConditionDraft FromNode(ConditionNode? node)
    {
        if (node is null)
        {
            return Group();
        }

        var draft = From(node);
        if (draft.IsGroup)
        {
            return draft;
        }

        var root = Group();
        root.Items.Add(draft);
        return root;
    }

    private static ConditionDraft From(ConditionNode node)
    {
        if (node.All is not null || node.Any is not null)
        {
            var group = Group(node.All is null);
            foreach (var item in node.All ?? node.Any ?? [])
            {
                group.Items.Add(From(item));
            }

            return group;
        }

        return new ConditionDraft
        {
            Field = node.Field,
            Op = node.Op ?? "eq",
            Value = node.Value?.DeepClone(),
            UseExpression = !string.IsNullOrEmpty(node.ValueExpression),
            ValueExpression = node.ValueExpression,
        };
    }

    /// <summary>The node this draft stands for; an empty root group is no condition (null).</summary>
    public ConditionNode? ToRootNode() => IsGroup && Items.Count == 0 ? null : ToNode();

    public ConditionNode ToNode()
    {
        if (IsGroup)
        {
            var items = Items.Select(i => i.ToNode()).ToList();
            return Any ? new ConditionNode { Any = items } : new ConditionNode { All = items };
        }

        var noValue = Op is "empty" or "notEmpty";
        return new ConditionNode
        {
            Field = Field,
            Op = Op,
            Value = noValue || UseExpression ? null : Value?.DeepClone(),
            ValueExpression = !noValue && UseExpression && !string.IsNullOrWhiteSpace(ValueExpression) ? ValueExpression : null,
        };
    }
}
