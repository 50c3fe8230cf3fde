namespace Platform.Designer.Services;

/// <summary>A task in an inbox box: what it is about, where it stands, and when it is due.</summary>
public sealed record TaskItemView(
    Guid Id,
    string App,
    string AppName,
    string Entity,
    string EntityLabel,
    Guid RecordId,
    Guid InstanceId,
    string Step,
    string StepName,
    string Title,
    string Kind,
    string? Assignee,
    string? Role,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DueAt,
    DateTimeOffset? ClosedAt,
    string? Action,
    string? Comment);
