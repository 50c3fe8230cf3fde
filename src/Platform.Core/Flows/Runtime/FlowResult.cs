using System.Text.Json.Nodes;

namespace Platform.Core.Flows.Runtime;

/// <summary>
/// What one command did: the new instance and the effects the runtime writes in the same transaction
/// (history, tasks, timers, notifications, record changes). On an error nothing is to be written.
/// </summary>
public sealed class FlowResult
{
    public required FlowInstance Instance { get; init; }

    public FlowError? Error { get; set; }

    public List<FlowHistoryEntry> History { get; } = [];

    public List<FlowTask> OpenedTasks { get; } = [];

    public List<TaskClosure> ClosedTasks { get; } = [];

    /// <summary>Tasks still open whose assignee, status or due time changed.</summary>
    public List<FlowTask> ChangedTasks { get; } = [];

    public List<FlowTimer> TimersSet { get; } = [];

    public List<Guid> TimersCancelled { get; } = [];

    public List<FlowNotification> Notifications { get; } = [];

    public List<CcGrant> CcGrants { get; } = [];

    public List<AutomationRequest> Automations { get; } = [];

    /// <summary>Fields the flow set on the record (status field, automation steps).</summary>
    public JsonObject RecordChanges { get; } = [];

    /// <summary>Steps completed (left through their transitions) by this command, in order.</summary>
    public List<string> Completed { get; } = [];

    /// <summary>Steps entered by this command, in order.</summary>
    public List<string> Entered { get; } = [];

    public bool IsOk => Error is null;

    /// <summary>A failed result carrying the unchanged instance.</summary>
    public static FlowResult Fail(FlowInstance instance, FlowErrorKind kind, string message, string? field = null) =>
        Fail(instance, new FlowError(kind, message, field));

    /// <summary>A failed result carrying the unchanged instance and the whole refusal (both languages).</summary>
    public static FlowResult Fail(FlowInstance instance, FlowError error) => new() { Instance = instance, Error = error };
}
