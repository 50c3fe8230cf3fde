namespace Platform.Runtime.Api;

/// <summary><c>GET /api/flows/instances/{id}</c>: state, history, timers and open tasks.</summary>
public sealed record FlowInstanceDto(
    Guid Id, string Definition, int Version, string Status, IReadOnlyList<string> ActiveSteps, string App, string Entity, Guid RecordId,
    string StartedBy, DateTimeOffset StartedAt, DateTimeOffset? EndedAt,
    IReadOnlyList<FlowHistoryDto> History, IReadOnlyList<FlowTimerDto> Timers, IReadOnlyList<TaskDto> Tasks);
