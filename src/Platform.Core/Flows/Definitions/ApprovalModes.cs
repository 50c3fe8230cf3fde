namespace Platform.Core.Flows.Definitions;

/// <summary>The stable names of approval modes.</summary>
public static class ApprovalModes
{
    /// <summary>One decision: one task (to a role or a user), or the first of several users decides.</summary>
    public const string Single = "single";

    /// <summary>会签: everyone approves (or the pass percentage); any rejection that makes passing impossible rejects.</summary>
    public const string Countersign = "countersign";

    /// <summary>或签: every candidate gets a task; the first one decides for all.</summary>
    public const string OrSign = "or-sign";

    /// <summary>One after another, in the order of the assignee list.</summary>
    public const string Sequential = "sequential";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Single, Countersign, OrSign, Sequential };
}
