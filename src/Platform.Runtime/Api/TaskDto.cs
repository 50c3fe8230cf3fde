namespace Platform.Runtime.Api;

/// <summary>A task in the inbox: <c>{ id, app, entity, recordId, flowInstanceId, step, title, assignee, createdAt, dueAt }</c> and more.</summary>
public sealed record TaskDto(
    Guid Id, string App, string Entity, Guid RecordId, Guid FlowInstanceId, string Step, string StepName, string Title, string Kind,
    string? Assignee, string? Role, string Status, DateTimeOffset CreatedAt, DateTimeOffset? DueAt, DateTimeOffset? ClosedAt, string? Action, string? Comment);
