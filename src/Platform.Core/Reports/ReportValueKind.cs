namespace Platform.Core.Reports;

/// <summary>How a report field's value is read from JSONB and compared.</summary>
public enum ReportValueKind
{
    Text,
    Number,
    Boolean,

    /// <summary>A calendar date stored as <c>yyyy-MM-dd</c> text (compares as text).</summary>
    Date,

    /// <summary>A moment: a timestamptz column, or a datetime field stored as UTC ISO text.</summary>
    Instant,

    /// <summary>A JSON array (multi-select, uploads, sub-tables).</summary>
    List,
}
