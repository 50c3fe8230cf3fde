namespace Platform.Core.Rules.Runtime;

/// <summary>The outcome of a rule's condition: true/false, or the fault that stopped it (then the rule does not fire).</summary>
public sealed record RuleConditionResult(bool Passed, string? Error, string Expression)
{
    public static RuleConditionResult Always { get; } = new(true, null, "true");
}
