namespace Platform.Core.Flows.Runtime;

/// <summary>An open (or, behind an added signer, waiting) task of a step: to one user, or to anyone holding a role.</summary>
public sealed class FlowTask
{
    public Guid Id { get; set; }

    public string Step { get; set; } = string.Empty;

    /// <summary>approval, task (a handler fills fields) or escalation.</summary>
    public string Kind { get; set; } = "approval";

    public string? Assignee { get; set; }

    public string? Role { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? DueAt { get; set; }

    /// <summary>open, or waiting while a signer added before it decides.</summary>
    public string Status { get; set; } = FlowTaskStatuses.Open;

    /// <summary>A signer added before: the task to reopen when this one approves.</summary>
    public Guid? Reopens { get; set; }

    /// <summary>Signers added after: each gets a task in turn once this one approves.</summary>
    public List<string> ThenSigners { get; set; } = [];

    /// <summary>True when the task's decision settles the step regardless of its mode (escalations).</summary>
    public bool Decides { get; set; }

    /// <summary>A deep copy.</summary>
    public FlowTask Clone()
    {
        var copy = (FlowTask)MemberwiseClone();
        copy.ThenSigners = [.. ThenSigners];
        return copy;
    }

    /// <summary>True when the user may act on it: the assignee, or a holder of its role.</summary>
    public bool IsFor(FlowActor actor) =>
        actor.IsAutomation
        || (Assignee is not null && string.Equals(Assignee, actor.UserName, StringComparison.Ordinal))
        || (Assignee is null && Role is not null && actor.Roles.Contains(Role));
}
