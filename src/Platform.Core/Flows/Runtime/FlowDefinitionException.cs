namespace Platform.Core.Flows.Runtime;

/// <summary>A definition that cannot go on at run time (no branch holds, a loop without a wait); the command is refused.</summary>
public sealed class FlowDefinitionException(string message) : Exception(message);
