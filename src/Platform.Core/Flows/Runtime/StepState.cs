namespace Platform.Core.Flows.Runtime;

/// <summary>One active step of an instance and the bookkeeping its type needs.</summary>
public sealed class StepState
{
    public string Step { get; set; } = string.Empty;

    public DateTimeOffset EnteredAt { get; set; }

    /// <summary>Sequential and countersign steps: the users, in order.</summary>
    public List<string> Candidates { get; set; } = [];

    /// <summary>Sequential steps: index of the next candidate to get a task.</summary>
    public int NextCandidate { get; set; }

    public int Approvals { get; set; }

    public int Rejections { get; set; }

    /// <summary>Countersign: the number of votes expected.</summary>
    public int Total { get; set; }

    /// <summary>True once anyone acted on the step's tasks (withdraw is possible only before).</summary>
    public bool Touched { get; set; }

    /// <summary>When the step falls due (deadline) or ends (wait).</summary>
    public DateTimeOffset? DueAt { get; set; }

    /// <summary>The step's current timer; a firing timer with another id is stale and ignored.</summary>
    public Guid? TimerId { get; set; }

    /// <summary>While paused: the working time that was left.</summary>
    public double? PausedSecondsLeft { get; set; }

    /// <summary>The due-field value the deadline was computed from.</summary>
    public string? DueFieldValue { get; set; }

    /// <summary>The step the flow came from.</summary>
    public string? From { get; set; }

    /// <summary>A deep copy.</summary>
    public StepState Clone()
    {
        var copy = (StepState)MemberwiseClone();
        copy.Candidates = [.. Candidates];
        return copy;
    }
}
