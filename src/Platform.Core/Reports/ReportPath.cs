using Platform.Core.Metadata;

namespace Platform.Core.Reports;

/// <summary>
/// A resolved field path of a report or record query: the hops along references, then either a metadata
/// <see cref="Field"/> of <see cref="Entity"/> or a <see cref="System"/> value (id, createdAt, updatedAt,
/// createdBy, updatedBy, flow.status, flow.startedAt, flow.endedAt; for step visits step, enteredAt, leftAt).
/// </summary>
public sealed record ReportPath
{
    public required string Text { get; init; }

    public IReadOnlyList<ReportHop> Hops { get; init; } = [];

    /// <summary>The entity that holds the final value.</summary>
    public required EntityDefinition Entity { get; init; }

    public FieldDefinition? Field { get; init; }

    public string? System { get; init; }

    public required ReportValueKind Kind { get; init; }

    /// <summary>A value of the step visit itself rather than of the visited record.</summary>
    public bool OfVisit { get; init; }

    /// <summary>The entity a reference value points to (for labels), or null.</summary>
    public EntityDefinition? References { get; init; }

    /// <summary>True for the user field type and createdBy/updatedBy/by (labels are display names).</summary>
    public bool IsUser => Field?.Type == "user" || System is "createdBy" or "updatedBy";

    public bool IsDateLike => Kind is ReportValueKind.Date or ReportValueKind.Instant;
}
