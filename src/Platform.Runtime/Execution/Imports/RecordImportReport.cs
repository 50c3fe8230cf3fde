using System.Text.Json.Serialization;

namespace Platform.Runtime.Execution.Imports;

/// <summary>
/// The outcome of an import: data rows read, rows written (in a dry run: rows that would be written), rows
/// refused with their errors, and the ids of the records created. <see cref="Detail"/> says why writing stopped early.
/// </summary>
public sealed record RecordImportReport(int Total, int Imported, int Failed, bool DryRun, IReadOnlyList<ImportRowError> Errors, IReadOnlyList<Guid> Ids)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Detail { get; init; }
}
