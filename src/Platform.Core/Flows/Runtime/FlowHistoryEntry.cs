using System.Text.Json.Nodes;

namespace Platform.Core.Flows.Runtime;

/// <summary>One line of an instance's history: step, action, user, time, comment and the fields changed.</summary>
public sealed record FlowHistoryEntry
{
    public required int Seq { get; init; }

    public required string Step { get; init; }

    /// <summary>The command verb (start, approve, reject, transfer, return, add-signer, withdraw, urge, comment) or an engine event (enter, cc, remind, escalate, auto-approve, auto-reject, end).</summary>
    public required string Action { get; init; }

    public required string By { get; init; }

    public required DateTimeOffset At { get; init; }

    public string? Comment { get; init; }

    public Guid? TaskId { get; init; }

    /// <summary>The user or step the action pointed at (transfer, add-signer, return).</summary>
    public string? To { get; init; }

    /// <summary>Fields the action changed: key → new value.</summary>
    public JsonObject? Fields { get; init; }

    /// <summary>Shown on the customer's tracking timeline.</summary>
    public bool Public { get; init; }

    /// <summary>The step's display name at the time.</summary>
    public string? StepName { get; init; }
}
