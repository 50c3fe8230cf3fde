using System.Security.Claims;
using System.Text.Json.Nodes;
using Npgsql;
using NpgsqlTypes;
using Platform.Core.Access;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Files;

namespace Platform.Runtime.Execution.Access;

/// <summary>
/// Who may download an uploaded file: its uploader, administrators, and whoever may read a record that holds the
/// file's id in an upload field they can see (at the top level or in a sub-table row). Anonymous uploads through a
/// public form have no uploader: staff reach them through the record the form created. A file id alone (leaked in a
/// link, kept after a move to another department) is therefore no key to the file.
/// </summary>
public sealed class FileReadAccess(AppCatalog catalog, RecordAccess access, FileStore files, NpgsqlDataSource dataSource)
{
    /// <summary>
    /// The upload values of a create or update that name a stored file the caller may not read and the record does not
    /// hold already, keyed by field path: attaching a known id to one's own record must not become a way to read the file.
    /// Ids that name no stored file grant nothing and are left to the field type's rules.
    /// </summary>
    public async Task<Dictionary<string, IReadOnlyList<string>>> ForeignFilesAsync(
        EntityDefinition entity, JsonObject submitted, Func<Task<JsonObject?>> existing, ClaimsPrincipal user, CancellationToken ct)
    {
        var problems = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        var named = FileIds(entity, submitted).ToList();
        if (named.Count == 0)
        {
            return problems;
        }

        var held = FileIds(entity, await existing() ?? []).Select(x => x.Id).ToHashSet(StringComparer.Ordinal);
        var fresh = named.Where(x => !held.Contains(x.Id)).ToList();
        var stored = (await files.FindAsync(fresh.Select(x => x.Id).Distinct().ToList(), ct)).ToDictionary(f => f.Id, StringComparer.Ordinal);
        foreach (var (path, id) in fresh)
        {
            if (stored.TryGetValue(id, out var file) && !await MayReadAsync(file, user, ct))
            {
                problems[path] = ["不能引用无权查看的文件 / you may not attach a file you cannot read"];
            }
        }

        return problems;
    }

    public async Task<bool> MayReadAsync(StoredFile file, ClaimsPrincipal user, CancellationToken ct)
    {
        var caller = await access.CallerAsync(user, ct);
        if (caller.IsAdmin || (file.UploadedBy is { } uploader && uploader == caller.UserName))
        {
            return true;
        }

        await using var cmd = dataSource.CreateCommand();
        string Param(object value, NpgsqlDbType? type = null)
        {
            cmd.Parameters.Add(type is { } t ? new NpgsqlParameter { Value = value, NpgsqlDbType = t } : new NpgsqlParameter { Value = value });
            return "$" + cmd.Parameters.Count;
        }

        var holders = new List<string>();
        foreach (var summary in await catalog.ListAsync(ct))
        {
            if (await catalog.GetAsync(summary.Key, ct) is not { } app)
            {
                continue;
            }

            foreach (var entity in app.Entities)
            {
                var permit = RecordPermit.For(entity, caller);
                List<string> shapes = permit.Access.Read == RowScope.None ? [] : [.. Containing(entity, permit.Access, file.Id)];
                if (shapes.Count == 0)
                {
                    continue;
                }

                // jsonb containment, so the GIN index on records.data finds the holders.
                var contains = string.Join(" or ", shapes.Select(s => $"r.data @> {Param(s, NpgsqlDbType.Jsonb)}"));
                var predicate = permit.ReadPredicate("r", v => Param(v));
                holders.Add(
                    $"select 1 from records r where r.app_key = {Param(app.Key)} and r.entity_key = {Param(entity.Key)} and ({contains})"
                    + (predicate is null ? string.Empty : " and " + predicate));
            }
        }

        if (holders.Count == 0)
        {
            return false;
        }

        cmd.CommandText = $"select exists ({string.Join(" union all ", holders)})";
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>Every file id in the data's upload fields with its path (<c>images</c>, <c>items[2].photo</c>).</summary>
    private static IEnumerable<(string Path, string Id)> FileIds(EntityDefinition entity, JsonObject data)
    {
        static IEnumerable<string> Ids(JsonNode? value) =>
            (value is JsonArray array ? array.ToList() : [value]).OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s.Trim() : null).OfType<string>();

        foreach (var field in entity.Fields)
        {
            if (field.Type is "image" or "video" or "file")
            {
                foreach (var id in Ids(data[field.Key]))
                {
                    yield return (field.Key, id);
                }
            }
            else if (field.Type == "sub-table" && data[field.Key] is JsonArray rows)
            {
                for (var i = 0; i < rows.Count; i++)
                {
                    foreach (var cell in (field.Fields ?? []).Where(f => f.Type is "image" or "video" or "file"))
                    {
                        foreach (var id in Ids((rows[i] as JsonObject)?[cell.Key]))
                        {
                            yield return ($"{field.Key}[{i}].{cell.Key}", id);
                        }
                    }
                }
            }
        }
    }

    /// <summary>The jsonb documents a record holding the file contains: one per upload field the caller can see.</summary>
    private static IEnumerable<string> Containing(EntityDefinition entity, EntityAccess access, string fileId)
    {
        foreach (var field in entity.Fields.Where(f => access.Field(f.Key) != FieldAccess.Hidden))
        {
            if (field.Type is "image" or "video" or "file")
            {
                yield return new JsonObject { [field.Key] = new JsonArray(fileId) }.ToJsonString();
            }
            else if (field.Type == "sub-table")
            {
                foreach (var cell in (field.Fields ?? []).Where(f => f.Type is "image" or "video" or "file"))
                {
                    yield return new JsonObject { [field.Key] = new JsonArray(new JsonObject { [cell.Key] = new JsonArray(fileId) }) }.ToJsonString();
                }
            }
        }
    }
}
