namespace Platform.Runtime.Api;

/// <summary>The flow a record is in: <c>{ instanceId, status, activeSteps }</c>.</summary>
public sealed record FlowStateDto(Guid InstanceId, string Status, IReadOnlyList<string> ActiveSteps);
