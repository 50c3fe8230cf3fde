namespace Platform.Core.Flows.Runtime;

/// <summary>The command verbs of the HTTP contract.</summary>
public static class TaskActions
{
    public const string Approve = "approve";
    public const string Reject = "reject";
    public const string Return = "return";
    public const string Transfer = "transfer";
    public const string AddSigner = "add-signer";
    public const string Withdraw = "withdraw";
    public const string Urge = "urge";
    public const string Comment = "comment";

    /// <summary>Actions on a task.</summary>
    public static readonly IReadOnlySet<string> OnTask = new HashSet<string>(StringComparer.Ordinal) { Approve, Reject, Return, Transfer, AddSigner, Urge, Comment };

    /// <summary>Actions on an instance (by its initiator or anyone who may see it).</summary>
    public static readonly IReadOnlySet<string> OnInstance = new HashSet<string>(StringComparer.Ordinal) { Withdraw, Urge, Comment };
}
