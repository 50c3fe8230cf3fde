using System.Text.Json.Nodes;
using Platform.Core.Forms;

namespace Platform.Designer.Services;

/// <summary>
/// Records and users a form looks at while it is filled in: the records its lookups and references name
/// (fetched like the server's validation fetches them), reference search and the user picker. Searches
/// answer only signed-in users; anonymous (public form) circuits get nothing from them.
/// </summary>
public interface IRecordLookups
{
    /// <summary>The data of the first record matching each request (<c>id</c> matches the record id), null where none does.</summary>
    Task<IReadOnlyList<JsonObject?>> FindAsync(string app, IReadOnlyList<LookupRequest> requests, CancellationToken ct);

    /// <summary>Records of <paramref name="entity"/> whose display field contains <paramref name="text"/> (all when empty), by display text.</summary>
    Task<IReadOnlyList<RecordOption>> SearchAsync(string app, string entity, string displayField, string? text, int limit, CancellationToken ct);

    /// <summary>Active users whose name or display name contains <paramref name="text"/>.</summary>
    Task<IReadOnlyList<UserOption>> SearchUsersAsync(string? text, int limit, CancellationToken ct);
}
