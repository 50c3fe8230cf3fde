namespace Platform.Runtime.Execution.Imports;

/// <summary>Why one row was not imported: field errors keyed by field key (the Core form engine's messages).</summary>
public sealed record ImportRowError(int Row, IReadOnlyDictionary<string, IReadOnlyList<string>> Errors);
