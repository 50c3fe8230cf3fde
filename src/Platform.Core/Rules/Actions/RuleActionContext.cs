using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Metadata;
using Platform.Core.Rules.Runtime;

namespace Platform.Core.Rules.Actions;

/// <summary>What an action type sees when it plans: the app, the triggering event and record, the clock, the engine.</summary>
public sealed class RuleActionContext
{
    public required AppDefinition App { get; init; }

    public required EntityDefinition? Entity { get; init; }

    public required RuleEvent Event { get; init; }

    /// <summary>The record as it is now in the chain (earlier set-fields actions included).</summary>
    public required JsonObject Record { get; init; }

    public required DateTimeOffset Now { get; init; }

    public required IExpressionEngine Expressions { get; init; }

    /// <summary>Extra variables (<c>$last</c>, <c>$candidate</c>).</summary>
    public IReadOnlyDictionary<string, JsonNode?>? Extra { get; init; }

    public ExpressionScope Scope() => RuleEngine.Scope(Entity, Event, Record, Now, Extra);

    public JsonNode? Evaluate(string expression) => Expressions.Evaluate(expression, Scope());

    public bool IsTrue(string expression) => Expressions.EvaluateBool(expression, Scope());

    public string Render(string? text) => text is null ? string.Empty : RuleText.Render(text, Expressions, Scope());
}
