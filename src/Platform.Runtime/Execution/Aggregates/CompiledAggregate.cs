namespace Platform.Runtime.Execution.Aggregates;

/// <summary>
/// One aggregate field as the <c>record_aggregates</c> row the triggers read: the statement that computes its value for
/// a target id (<c>$1</c>) from the condition values (<c>$2</c>, a JSON array), and the source fields whose change matters.
/// </summary>
public sealed record CompiledAggregate(
    string Entity, string Field, string SourceEntity, string Reference, IReadOnlyList<string> Watched, string ValueSql, string Parameters, string Hash);
