using System.Text.Json.Nodes;

namespace Platform.Core.Flows.Definitions;

/// <summary>
/// One node of a flow. <see cref="Type"/> names a registered step type (start, approval, task, cc, gateway,
/// parallel, join, automation, wait, end); the other settings apply to the types that use them.
/// </summary>
public sealed record FlowStep
{
    public required string Key { get; init; }

    /// <summary>A registered step type name.</summary>
    public required string Type { get; init; }

    /// <summary>Display name (zh-CN first), shown in the inbox and on the customer's timeline.</summary>
    public string? Name { get; init; }

    public string? NameEn { get; init; }

    /// <summary>Who gets the step's tasks (approval, task) or its notification (cc).</summary>
    public AssigneeSpec? Assignees { get; init; }

    /// <summary>Approval mode: single, countersign (会签), or-sign (或签), sequential.</summary>
    public string Mode { get; init; } = ApprovalModes.Single;

    /// <summary>Countersign only: the share of approvals (1–100) that passes the step; all when null.</summary>
    public int? PassPercent { get; init; }

    /// <summary>Which record fields the assignee may edit, only read, or not see at this step.</summary>
    public StepFieldAccess? Fields { get; init; }

    /// <summary>When the step's tasks fall due and what happens then.</summary>
    public StepDeadline? Deadline { get; init; }

    /// <summary>Wait steps: how long, or until which date field.</summary>
    public WaitSettings? Wait { get; init; }

    /// <summary>End steps: <c>completed</c> or <c>rejected</c>.</summary>
    public string? EndStatus { get; init; }

    /// <summary>Where a rejection goes: null ends the flow as rejected, or the key of an earlier step.</summary>
    public string? RejectTo { get; init; }

    /// <summary>Written into the flow's status field when the step is entered.</summary>
    public string? RecordStatus { get; init; }

    /// <summary>Automation steps: field values to set, each an expression over the record.</summary>
    public IReadOnlyDictionary<string, string>? SetFields { get; init; }

    /// <summary>Automation steps: rule actions (run by the rule engine's action registry).</summary>
    public IReadOnlyList<JsonObject>? Actions { get; init; }

    /// <summary>Shown on the customer's tracking timeline when true (default for task steps and ends).</summary>
    public bool? ShowOnTimeline { get; init; }

    /// <summary>Task steps done on site: the phone view's job card and page for the step's tasks (<c>/m</c>).</summary>
    public MobileJobSettings? Mobile { get; init; }

    /// <summary>Where the designer drew the node.</summary>
    public StepPosition? Position { get; init; }

    /// <summary>Display name, falling back to the key.</summary>
    public string Title => string.IsNullOrWhiteSpace(Name) ? Key : Name!;
}
