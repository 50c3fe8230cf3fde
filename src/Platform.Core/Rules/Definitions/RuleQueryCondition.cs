namespace Platform.Core.Rules.Definitions;

/// <summary>
/// One condition of a query over another entity: <c>{ field, op, value }</c> where <c>value</c> is an expression
/// over the triggering record (e.g. <c>region</c>) and op is one of eq ne gt ge lt le contains in.
/// </summary>
public sealed record RuleQueryCondition
{
    public required string Field { get; init; }

    public string Op { get; init; } = "eq";

    public required string Value { get; init; }
}
