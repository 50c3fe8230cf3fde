namespace Platform.Core.Flows.Runtime;

/// <summary>Instance statuses of the HTTP contract.</summary>
public static class FlowStatuses
{
    public const string Running = "running";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string Cancelled = "cancelled";
}
