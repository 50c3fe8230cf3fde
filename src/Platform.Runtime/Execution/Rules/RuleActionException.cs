namespace Platform.Runtime.Execution.Rules;

/// <summary>An action that could not be carried out (invalid values, a missing record); the rule's effects are rolled back and logged.</summary>
public sealed class RuleActionException(string message) : Exception(message);
