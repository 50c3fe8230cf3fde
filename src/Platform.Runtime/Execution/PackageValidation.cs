using System.Text.Json;
using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Templates;

namespace Platform.Runtime.Execution;

/// <summary>
/// Checks a whole package before anything is written: every definition problem, then every seed row
/// through the same form engine as the API. Seed rows may name themselves with <c>"@id": "c1"</c> and
/// refer to earlier rows with <c>"@c1"</c> in reference fields.
/// </summary>
public sealed class PackageValidation(DefinitionValidator definitions, RecordValidator records)
{
    public CheckedPackage Validate(AppPackage package, AppDefinition app, string by, DateTimeOffset now)
    {
        var problems = definitions.Validate(app).Select(p => new PackageProblem(p.Path, p.Message)).ToList();
        if (problems.Count > 0 || package.Seed is null)
        {
            return new CheckedPackage(problems, []);
        }

        var seedIds = new Dictionary<string, Guid>(StringComparer.Ordinal);
        var source = new SeedLookupSource();
        var rows = new List<SeedRow>();
        foreach (var (entityKey, items) in package.Seed)
        {
            var entity = app.FindEntity(entityKey);
            if (entity is null)
            {
                problems.Add(new PackageProblem($"$.seed.{entityKey}", $"种子数据引用了不存在的实体 '{entityKey}'"));
                continue;
            }

            for (var i = 0; i < items.Count; i++)
            {
                var path = $"$.seed.{entityKey}[{i}]";
                var data = items[i].DeepClone().AsObject();
                var localId = data["@id"]?.GetValueKind() == JsonValueKind.String ? data["@id"]!.GetValue<string>() : null;
                data.Remove("@id");
                if (!ResolveSeedReferences(data, seedIds, path, problems))
                {
                    continue;
                }

                var result = records.Validate(entity, data, new RecordValidationContext { Now = now, UserName = by, Lookups = source });
                if (!result.IsValid)
                {
                    problems.AddRange(result.Errors.SelectMany(e => e.Value.Select(m => new PackageProblem($"{path}.{e.Key}", m))));
                    continue;
                }

                var id = Guid.CreateVersion7();
                if (localId is not null && !seedIds.TryAdd(localId, id))
                {
                    problems.Add(new PackageProblem($"{path}.@id", $"种子标识 '{localId}' 重复"));
                    continue;
                }

                source.Add(entityKey, id, result.Data);
                rows.Add(new SeedRow(entityKey, id, result.Data, RecordValidation.ToSlots(app, entity, result.AutoNumbers), path));
            }
        }

        return new CheckedPackage(problems, problems.Count == 0 ? rows : []);
    }

    private static bool ResolveSeedReferences(JsonObject data, Dictionary<string, Guid> ids, string path, List<PackageProblem> problems)
    {
        var ok = true;
        foreach (var (key, value) in data.ToList())
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() is ['@', .. var name])
            {
                if (ids.TryGetValue(name, out var id))
                {
                    data[key] = id.ToString();
                }
                else
                {
                    problems.Add(new PackageProblem($"{path}.{key}", $"种子数据引用了不存在或尚未定义的行 '@{name}'"));
                    ok = false;
                }
            }
            else if (value is JsonArray array)
            {
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonObject row)
                    {
                        ok &= ResolveSeedReferences(row, ids, $"{path}.{key}[{i}]", problems);
                    }
                }
            }
        }

        return ok;
    }
}
