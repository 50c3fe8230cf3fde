namespace Platform.Core.Flows.Definitions;

/// <summary>
/// When a step's tasks fall due — a duration after entering the step (in business time by default) or the
/// value of a date field — and what happens when they do.
/// </summary>
public sealed record StepDeadline
{
    /// <summary>Duration in minutes after the step is entered.</summary>
    public double? Minutes { get; init; }

    /// <summary>Duration in hours after the step is entered.</summary>
    public double? Hours { get; init; }

    /// <summary>A date or datetime field holding the due moment; recomputed when the field changes.</summary>
    public string? DueField { get; init; }

    /// <summary>Count only working time of the flow's business calendar (default true).</summary>
    public bool BusinessTime { get; init; } = true;

    /// <summary>remind, escalate, auto-approve or auto-reject.</summary>
    public string Action { get; init; } = DeadlineActions.Remind;

    /// <summary>The role escalated to (escalate) or reminded besides the assignees (remind).</summary>
    public string? NotifyRole { get; init; }

    /// <summary>Remind again every so many minutes after the deadline while the step is open.</summary>
    public double? RepeatMinutes { get; init; }

    /// <summary>An expression over the record: while true, the clock stops (waiting on the customer).</summary>
    public string? PauseWhen { get; init; }

    /// <summary>The duration, when given as minutes or hours.</summary>
    public TimeSpan? Duration => Minutes is { } m ? TimeSpan.FromMinutes(m) : Hours is { } h ? TimeSpan.FromHours(h) : null;
}
