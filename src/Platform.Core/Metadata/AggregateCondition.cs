using System.Text.Json.Nodes;

namespace Platform.Core.Metadata;

/// <summary>
/// One condition of an aggregate: <c>{ field, op, value }</c> with a constant value. <see cref="Op"/> is one of
/// eq ne gt ge lt le in notIn (in and notIn take an array) empty notEmpty (no value). ne and notIn also hold for an
/// empty field.
/// </summary>
public sealed record AggregateCondition
{
    /// <summary>Every operator an aggregate condition accepts.</summary>
    public static readonly IReadOnlySet<string> Ops = new HashSet<string>(StringComparer.Ordinal) { "eq", "ne", "gt", "ge", "lt", "le", "in", "notIn", "empty", "notEmpty" };

    public required string Field { get; init; }

    public string Op { get; init; } = "eq";

    public JsonNode? Value { get; init; }
}
