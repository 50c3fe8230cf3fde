namespace Platform.Core.Reports;

/// <summary>
/// A date-time that reports of the entity bucket by (a dimension on it), kept as its China local time (a <c>timestamp</c>)
/// in <see cref="Column"/> of the report projection, so a bucket is <c>date_trunc</c> of the column alone rather than a
/// time-zone conversion per row. <see cref="Path"/> is <c>createdAt</c>, <c>updatedAt</c> or the key of a datetime field.
/// </summary>
public sealed record ReportProjectionLocalTime(string Path, string Column);
