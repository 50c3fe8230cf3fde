using System.Text.Json.Nodes;
using Platform.Core.Metadata;

namespace Platform.Designer.Services;

/// <summary>
/// What the generated record forms need from the runtime: the published app, a record to edit, and the
/// create / update commands (through the same RecordService the records API uses). The runtime implements it.
/// </summary>
public interface IRecordForms
{
    /// <summary>The published app, or null when there is none with that key.</summary>
    Task<AppDefinition?> GetAppAsync(string app, CancellationToken ct);

    /// <summary>One record's data and version, or null.</summary>
    Task<RecordFormRecord?> GetRecordAsync(string app, string entity, Guid id, CancellationToken ct);

    /// <summary>Creates a record as the signed-in user (starts the entity's flow like <c>POST …/records</c>).</summary>
    Task<RecordSaveResult> CreateAsync(string app, string entity, JsonObject data, CancellationToken ct);

    /// <summary>Updates a record the user edited at <paramref name="version"/> (the API's <c>If-Match</c>).</summary>
    Task<RecordSaveResult> UpdateAsync(string app, string entity, Guid id, int version, JsonObject data, CancellationToken ct);
}
