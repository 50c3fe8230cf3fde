namespace Platform.Designer.Services;

/// <summary>One record in a drill-down: its id and display text per column.</summary>
public sealed record DrillRow(Guid Id, IReadOnlyDictionary<string, string> Cells);
