namespace Platform.Core.Reports;

/// <summary>
/// A date/time bucket that a report dimension of the entity groups by (<see cref="Unit"/>: day, week, month, quarter or
/// year of <see cref="Path"/>'s China local time), kept as the bucket's first day (a <c>date</c>) in <see cref="Column"/> of
/// the report projection: the group key is then a plain 4-byte column instead of a <c>date_trunc</c> per row.
/// </summary>
public sealed record ReportProjectionBucket(string Path, string Unit, string Column);
