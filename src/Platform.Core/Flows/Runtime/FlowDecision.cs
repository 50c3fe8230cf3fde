namespace Platform.Core.Flows.Runtime;

/// <summary>Who completed which step, and when.</summary>
public sealed record FlowDecision(string Step, string By, DateTimeOffset At);
