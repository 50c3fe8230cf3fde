namespace Platform.Core.Flows.Definitions;

/// <summary>What happens when a step's deadline passes.</summary>
public static class DeadlineActions
{
    public const string Remind = "remind";

    public const string Escalate = "escalate";

    public const string AutoApprove = "auto-approve";

    public const string AutoReject = "auto-reject";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Remind, Escalate, AutoApprove, AutoReject };
}
