using System.Text.Json.Nodes;

namespace Platform.Core.Rules.Definitions;

/// <summary>
/// The condition builder's model: either a comparison <c>{ field, op, value }</c> or a group <c>{ all: [...] }</c>
/// (AND) / <c>{ any: [...] }</c> (OR). Compiled by <see cref="ConditionCompiler"/> to the expression language.
/// </summary>
public sealed record ConditionNode
{
    public string? Field { get; init; }

    /// <summary>One of <see cref="ConditionCompiler.Operators"/>.</summary>
    public string? Op { get; init; }

    /// <summary>A literal value (for <c>in</c>/<c>notIn</c> an array; for <c>withinDays</c> a number).</summary>
    public JsonNode? Value { get; init; }

    /// <summary>An expression whose result is the value to compare with (instead of <see cref="Value"/>).</summary>
    public string? ValueExpression { get; init; }

    public IReadOnlyList<ConditionNode>? All { get; init; }

    public IReadOnlyList<ConditionNode>? Any { get; init; }
}
