namespace Platform.Runtime.Execution.Reports;

/// <summary>What the viewer asked for: values of the report's parameters (by key), extra <c>field:op:value</c> filters, and the clock.</summary>
public sealed record ReportRequest(IReadOnlyDictionary<string, string> Parameters, IReadOnlyList<string> Filters, DateTimeOffset Now)
{
    /// <summary>
    /// The viewer's row permissions: a condition over each source's records (alias <c>s</c>), values through the
    /// given parameter function; null when the viewer may read every record (rollups may answer then).
    /// </summary>
    public Func<Platform.Core.Metadata.EntityDefinition, Func<object, string>, string?>? Rows { get; init; }

    /// <summary>
    /// Whether the viewer may see the values of a path from a source entity (every entity along it readable, no hidden
    /// field on it); viewer filters and parameters on other paths are refused. Null when the viewer sees every field.
    /// </summary>
    public Func<Platform.Core.Metadata.EntityDefinition, Platform.Core.Reports.ReportPath, bool>? Visible { get; init; }

    /// <summary>
    /// Fields of referenced records withheld from the viewer (entity key, field key; see
    /// <see cref="Access.RecordAccess.HiddenLabels"/>): a reference dimension whose display field is one of them is labelled
    /// <see cref="Exports.ExportLookups.Withheld"/>. Null when nothing is withheld.
    /// </summary>
    public Func<string, string, bool>? HiddenLabels { get; init; }

    public static ReportRequest Empty(DateTimeOffset now) => new(new Dictionary<string, string>(), [], now);
}
