namespace Platform.Designer.Services;

/// <summary>
/// A record's flow as its detail page shows it: status, active steps, history, the open tasks the current user may
/// act on, and the instance actions offered to them (withdraw, urge).
/// </summary>
public sealed record FlowView(
    Guid InstanceId,
    string FlowName,
    string Status,
    IReadOnlyList<StepChoice> ActiveSteps,
    string StartedBy,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<FlowHistoryView> History,
    IReadOnlyList<TaskOptionView> MyTasks,
    bool CanWithdraw,
    bool CanUrge);
