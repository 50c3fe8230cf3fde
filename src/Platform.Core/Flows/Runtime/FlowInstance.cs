namespace Platform.Core.Flows.Runtime;

/// <summary>
/// The durable state of one running flow: its active steps, open tasks, join arrivals and the path so far.
/// Stored as JSON; the interpreter never changes the instance it is given, it returns a changed copy.
/// </summary>
public sealed class FlowInstance
{
    public Guid Id { get; set; }

    public string App { get; set; } = string.Empty;

    /// <summary>The flow key.</summary>
    public string Flow { get; set; } = string.Empty;

    /// <summary>The definition version the instance runs on.</summary>
    public int Version { get; set; }

    public string Entity { get; set; } = string.Empty;

    public Guid RecordId { get; set; }

    /// <summary>running, completed, rejected or cancelled (<see cref="FlowStatuses"/>).</summary>
    public string Status { get; set; } = FlowStatuses.Running;

    public string StartedBy { get; set; } = string.Empty;

    public DateTimeOffset StartedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }

    public List<StepState> Active { get; set; } = [];

    /// <summary>Open and waiting tasks; closed ones live only in history and the task table.</summary>
    public List<FlowTask> Tasks { get; set; } = [];

    /// <summary>Join step key → the steps that have arrived so far.</summary>
    public Dictionary<string, List<string>> Joins { get; set; } = [];

    /// <summary>Steps entered so far, in order (return-to-step goes only to one of these).</summary>
    public List<string> Visited { get; set; } = [];

    /// <summary>The last decision that moved the flow on (withdraw undoes it while the next step is untouched).</summary>
    public FlowDecision? LastDecision { get; set; }

    /// <summary>How many history entries the instance has written (the next one's sequence number).</summary>
    public int HistoryCount { get; set; }

    /// <summary>The open or waiting task with this id, or null.</summary>
    public FlowTask? FindTask(Guid id) => Tasks.FirstOrDefault(t => t.Id == id);

    /// <summary>The active state of a step, or null.</summary>
    public StepState? FindActive(string step) => Active.FirstOrDefault(s => s.Step == step);

    /// <summary>A deep copy (field by field: a JSON round trip cost more than the rest of an approval's interpretation).</summary>
    public FlowInstance Clone() => new()
    {
        Id = Id,
        App = App,
        Flow = Flow,
        Version = Version,
        Entity = Entity,
        RecordId = RecordId,
        Status = Status,
        StartedBy = StartedBy,
        StartedAt = StartedAt,
        EndedAt = EndedAt,
        Active = Active.ConvertAll(s => s.Clone()),
        Tasks = Tasks.ConvertAll(t => t.Clone()),
        Joins = Joins.ToDictionary(j => j.Key, j => new List<string>(j.Value), Joins.Comparer),
        Visited = [.. Visited],
        LastDecision = LastDecision,
        HistoryCount = HistoryCount,
    };
}
