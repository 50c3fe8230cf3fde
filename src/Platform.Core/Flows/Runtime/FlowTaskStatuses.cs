namespace Platform.Core.Flows.Runtime;

/// <summary>Task statuses: open and waiting live in the instance; the others are how a task closed.</summary>
public static class FlowTaskStatuses
{
    public const string Open = "open";
    public const string Waiting = "waiting";
    public const string Done = "done";
    public const string Cancelled = "cancelled";
    public const string Cc = "cc";
}
