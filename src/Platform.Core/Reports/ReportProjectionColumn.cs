namespace Platform.Core.Reports;

/// <summary>
/// One field of an entity kept as its own column of the entity's report projection: <see cref="Column"/> holds the
/// field's value as <see cref="Kind"/> says (numeric for numbers, boolean for booleans, jsonb for lists, text otherwise).
/// </summary>
public sealed record ReportProjectionColumn(string Field, string Column, ReportValueKind Kind);
