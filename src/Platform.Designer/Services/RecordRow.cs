namespace Platform.Designer.Services;

/// <summary>One record in a list: its id and the display text per column (formatted like an export).</summary>
public sealed record RecordRow(Guid Id, IReadOnlyDictionary<string, string> Cells);
