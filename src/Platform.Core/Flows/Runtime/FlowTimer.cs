namespace Platform.Core.Flows.Runtime;

/// <summary>A timer to store: fires <see cref="Kind"/> (deadline or wait) for a step at <see cref="DueAt"/>.</summary>
public sealed record FlowTimer(Guid Id, Guid InstanceId, string Step, string Kind, DateTimeOffset DueAt);
