namespace Platform.Runtime.Execution;

/// <summary>Where an instance stands after a command.</summary>
public sealed record FlowCommandOutcome(Guid InstanceId, string Status, IReadOnlyList<string> ActiveSteps, IReadOnlyList<Guid> OpenedTasks);
