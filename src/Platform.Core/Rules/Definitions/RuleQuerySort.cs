namespace Platform.Core.Rules.Definitions;

/// <summary>Sort key of a rule query: a field, ascending unless <see cref="Desc"/>.</summary>
public sealed record RuleQuerySort
{
    public required string Field { get; init; }

    public bool Desc { get; init; }
}
