namespace Platform.Runtime.Persistence;

/// <summary>A record's flow: instance, status and the steps it is at.</summary>
public sealed record RecordFlowState(Guid InstanceId, string Status, IReadOnlyList<string> ActiveSteps);
