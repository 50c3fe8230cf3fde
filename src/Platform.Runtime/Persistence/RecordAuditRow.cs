namespace Platform.Runtime.Persistence;

/// <summary>One audited record change: who, when, and field-level before/after in <see cref="Changes"/>.</summary>
public sealed class RecordAuditRow
{
    public long Id { get; set; }

    public Guid RecordId { get; set; }

    public required string AppKey { get; set; }

    public required string EntityKey { get; set; }

    /// <summary>create, update or delete.</summary>
    public required string Action { get; set; }

    public int Version { get; set; }

    public DateTimeOffset At { get; set; }

    public required string By { get; set; }

    /// <summary><c>{ fieldKey: { before, after } }</c>.</summary>
    public required string Changes { get; set; }
}
