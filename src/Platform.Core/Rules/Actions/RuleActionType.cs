using Platform.Core.Rules.Definitions;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>
/// A kind of rule action, registered under a stable <see cref="Name"/>: checks its settings when the app is
/// published, and plans (pure: evaluates values, renders texts) when the rule fires. The runtime executes plans.
/// </summary>
public abstract class RuleActionType
{
    public abstract string Name { get; }

    /// <summary>Reports every problem of the action's settings as (path below the action, message).</summary>
    public abstract void Validate(RuleActionDefinition action, RuleValidationContext context, Action<string, string> problem);

    /// <summary>What the action will do for this record. Throws <see cref="Expressions.ExpressionFault"/> when an expression fails.</summary>
    public abstract RuleActionPlan Plan(RuleActionDefinition action, RuleActionContext context);

    /// <summary>
    /// Checks a field → expression map: every field exists in <paramref name="target"/>, every expression compiles and
    /// reads fields of <paramref name="over"/> (default: the rule's entity).
    /// </summary>
    protected static void CheckFields(
        IReadOnlyDictionary<string, string>? fields, Platform.Core.Metadata.EntityDefinition target, RuleValidationContext context, Action<string, string> problem,
        Platform.Core.Metadata.EntityDefinition? over = null)
    {
        foreach (var (field, expression) in fields ?? new Dictionary<string, string>())
        {
            if (target.FindField(field) is null)
            {
                problem($"fields.{field}", target == context.Entity ? $"字段 '{field}' 不存在" : $"实体 {target.Key} 没有字段 '{field}'");
            }
            else if (context.CheckExpression(expression, over) is { } p)
            {
                problem($"fields.{field}", p);
            }
        }
    }

    /// <summary>Evaluates a field → expression map.</summary>
    protected static System.Text.Json.Nodes.JsonObject EvaluateFields(IReadOnlyDictionary<string, string>? fields, RuleActionContext context)
    {
        var values = new System.Text.Json.Nodes.JsonObject();
        foreach (var (field, expression) in fields ?? new Dictionary<string, string>())
        {
            values[field] = context.Evaluate(expression)?.DeepClone();
        }

        return values;
    }

    /// <summary>The query conditions with their values evaluated against the triggering record.</summary>
    protected static System.Text.Json.Nodes.JsonArray EvaluateWhere(IReadOnlyList<RuleQueryCondition>? where, RuleActionContext context)
    {
        var array = new System.Text.Json.Nodes.JsonArray();
        foreach (var c in where ?? [])
        {
            array.Add(new System.Text.Json.Nodes.JsonObject { ["field"] = c.Field, ["op"] = c.Op, ["value"] = context.Evaluate(c.Value)?.DeepClone() });
        }

        return array;
    }
}
