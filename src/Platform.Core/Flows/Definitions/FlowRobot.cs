namespace Platform.Core.Flows.Definitions;

/// <summary>
/// A WeCom, DingTalk or Feishu group robot that hears the flow's staff notifications (new tasks, overdue
/// reminders, escalations, …) besides the in-app bell: a configured connector, or the robot's webhook URL.
/// </summary>
public sealed record FlowRobot
{
    /// <summary>The notification kinds sent when <see cref="Kinds"/> is empty.</summary>
    public static readonly IReadOnlyList<string> DefaultKinds = ["task", "remind", "escalate"];

    /// <summary>Every notification kind a flow produces.</summary>
    public static readonly IReadOnlyList<string> AllKinds = ["task", "remind", "escalate", "cc", "urge", "result"];

    /// <summary><c>wecom</c>, <c>dingtalk</c> or <c>feishu</c>.</summary>
    public required string Provider { get; init; }

    /// <summary>A connector key (its secret URL stays encrypted in the platform), or null to use <see cref="Url"/>.</summary>
    public string? Connector { get; init; }

    public string? Url { get; init; }

    /// <summary>Which notification kinds go to the robot; empty means <see cref="DefaultKinds"/>.</summary>
    public IReadOnlyList<string> Kinds { get; init; } = [];

    /// <summary>Whether a notification of this kind goes to the robot.</summary>
    public bool Hears(string kind) => (Kinds.Count == 0 ? DefaultKinds : Kinds).Contains(kind);
}
