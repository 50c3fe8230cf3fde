using Platform.Core.Rules.Runtime;

namespace Platform.Runtime.Execution.Rules;

/// <summary>An event waiting in a chain: how deep it is and which firing caused it.</summary>
public sealed record PendingRuleEvent(RuleEvent Event, int Depth, int? CausedBy);
