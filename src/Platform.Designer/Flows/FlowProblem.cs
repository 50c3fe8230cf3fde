namespace Platform.Designer.Flows;

/// <summary>
/// One problem of a flow as the designer shows it: the message, the JSON path the validator gave, and what it sits on —
/// a step (<see cref="Step"/>), an edge (<see cref="From"/> → <see cref="To"/>), or the flow itself (both null).
/// </summary>
public sealed record FlowProblem(string Path, string Message, string? Step, string? From, string? To)
{
    public bool IsOnEdge => From is not null && To is not null;
}
