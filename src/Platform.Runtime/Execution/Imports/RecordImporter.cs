using System.Text.Json.Nodes;
using Platform.Core.Forms;
using Platform.Core.Metadata;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Imports;

/// <summary>
/// Imports sheet rows as records. Every row is validated first by the Core form engine (<see cref="RecordValidation"/>)
/// and checked against unique fields (within the file and in the database); then the rows are written one by one
/// through <see cref="RecordService.CreateAsync"/>, so flows start and later rules apply. In all-or-nothing mode a
/// single bad row means nothing is written.
/// </summary>
public sealed class RecordImporter(RecordValidation validation, RecordService records, RecordStore store, FieldTypeRegistry types, TimeProvider time)
{
    private const string UniqueMessage = "该值已存在 / this value already exists and must be unique";

    private static readonly HashSet<string> NotInSheets = ["sub-table", "image", "video", "file"];

    /// <summary>The fields a sheet may fill: not system, read-only, computed (formula, auto-number), sub-tables or uploads.</summary>
    public IReadOnlyList<FieldDefinition> ImportableFields(EntityDefinition entity) =>
        entity.Fields.Where(f => !f.System && !f.ReadOnly && !NotInSheets.Contains(f.Type) && types.TryGet(f.Type, out var t) && t.AcceptsInput).ToList();

    /// <summary>The header a template shows for a field: its label, else its key.</summary>
    public static string HeaderOf(FieldDefinition field) => string.IsNullOrWhiteSpace(field.Label) ? field.Key : field.Label;

    /// <summary>
    /// Maps each column to a field by key or label (Chinese or English). Returns problems keyed by column header
    /// (a column that names no importable field, a field named twice, data under an empty header); empty when all resolve.
    /// </summary>
    public Dictionary<string, IReadOnlyList<string>> ResolveColumns(EntityDefinition entity, ImportSheet sheet, out FieldDefinition?[] columns)
    {
        var errors = new Dictionary<string, IReadOnlyList<string>>();
        columns = new FieldDefinition?[sheet.Headers.Count];
        var importable = ImportableFields(entity);
        var taken = new Dictionary<string, string>();
        for (var i = 0; i < sheet.Headers.Count; i++)
        {
            var header = sheet.Headers[i];
            var name = header.TrimEnd('*', ' ');
            if (name.Length == 0)
            {
                if (sheet.Rows.Any(r => i < r.Cells.Count && !ImportSheetReader.IsBlank(r.Cells[i])))
                {
                    errors[$"column {i + 1}"] = [$"第 {i + 1} 列有数据但没有表头 / column {i + 1} has data but no header"];
                }

                continue;
            }

            var field = Find(entity.Fields, name);
            if (field is null)
            {
                errors[header] = [$"列「{header}」不是「{entity.Label}」的字段 / column '{header}' names no field of {entity.Key}"];
            }
            else if (!importable.Contains(field))
            {
                errors[header] = [$"列「{header}」({field.Key}) 由系统填写，不能导入 / column '{header}' ({field.Key}) is computed or managed by the platform and cannot be imported"];
            }
            else if (!taken.TryAdd(field.Key, header))
            {
                errors[header] = [$"列「{header}」与列「{taken[field.Key]}」是同一字段 {field.Key} / the field is named by two columns"];
            }
            else
            {
                columns[i] = field;
            }
        }

        return errors;
    }

    /// <summary>Validates every row (references and lookups within <paramref name="lookupScope"/>, the importer's read scope) and creates the valid ones.</summary>
    public async Task<RecordImportReport> ImportAsync(
        AppDefinition app, EntityDefinition entity, ImportSheet sheet, IReadOnlyList<FieldDefinition?> columns, ImportMode mode, bool dryRun, string by, CancellationToken ct,
        Access.LookupScope? lookupScope = null)
    {
        var now = time.GetUtcNow();
        var errors = new SortedDictionary<int, Dictionary<string, IReadOnlyList<string>>>();
        var valid = new List<(ImportRow Row, JsonObject Data, JsonObject Normalized)>();
        foreach (var row in sheet.Rows)
        {
            var data = ToData(row, columns);
            var validated = await validation.ValidateAsync(app, entity, data.DeepClone().AsObject(), null, by, now, false, null, ct, scope: lookupScope);
            if (validated.IsValid)
            {
                valid.Add((row, data, validated.Data));
            }
            else
            {
                errors[row.Number] = validated.Errors.ToDictionary(e => e.Key, e => e.Value);
            }
        }

        valid = await WithoutDuplicatesAsync(app, entity, valid, errors, ct);
        var refuseAll = mode == ImportMode.AllOrNothing && errors.Count > 0;
        if (dryRun || refuseAll)
        {
            return Report(sheet, refuseAll ? 0 : valid.Count, dryRun, errors, []);
        }

        var ids = new List<Guid>();
        string? detail = null;
        foreach (var (row, data, _) in valid)
        {
            var result = await records.CreateAsync(app, entity, data, by, ct, lookupScope: lookupScope);
            if (result.Outcome == CommandOutcome.Ok)
            {
                ids.Add(result.Value!.Id);
                continue;
            }

            errors[row.Number] = result.Errors?.ToDictionary(e => e.Key, e => e.Value)
                ?? new Dictionary<string, IReadOnlyList<string>> { ["id"] = [result.Detail ?? result.Outcome.ToString()] };
            if (mode == ImportMode.AllOrNothing)
            {
                // Rows validated a moment ago can still fail (a concurrent write took a unique value): say what was kept.
                detail = $"第 {row.Number} 行写入失败，之前已写入的 {ids.Count} 行已保留（见 ids）/ row {row.Number} failed to write; the {ids.Count} rows written before it were kept (see ids)";
                break;
            }
        }

        return Report(sheet, ids.Count, false, errors, ids) with { Detail = detail };
    }

    private static FieldDefinition? Find(IReadOnlyList<FieldDefinition> fields, string name) =>
        fields.FirstOrDefault(f => f.Key == name)
        ?? fields.FirstOrDefault(f => f.Label == name)
        ?? fields.FirstOrDefault(f => string.Equals(f.LabelEn, name, StringComparison.OrdinalIgnoreCase) || string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase));

    private static JsonObject ToData(ImportRow row, IReadOnlyList<FieldDefinition?> columns)
    {
        var data = new JsonObject();
        for (var i = 0; i < columns.Count && i < row.Cells.Count; i++)
        {
            if (columns[i] is { } field && ImportCellConverter.ToJson(field, row.Cells[i]) is { } value)
            {
                data[field.Key] = value;
            }
        }

        return data;
    }

    /// <summary>Refuses rows whose unique values repeat an earlier row of the file or a stored record (one round trip per 500 values).</summary>
    private async Task<List<(ImportRow Row, JsonObject Data, JsonObject Normalized)>> WithoutDuplicatesAsync(
        AppDefinition app, EntityDefinition entity, List<(ImportRow Row, JsonObject Data, JsonObject Normalized)> valid,
        SortedDictionary<int, Dictionary<string, IReadOnlyList<string>>> errors, CancellationToken ct)
    {
        var unique = entity.Fields.Where(f => f.Unique).ToList();
        if (unique.Count == 0)
        {
            return valid;
        }

        var seen = new Dictionary<(string Field, string Value), int>();
        var checks = new List<(int Row, string Field, string Value)>();
        foreach (var (row, _, normalized) in valid)
        {
            foreach (var field in unique)
            {
                if (FieldValues.AsText(normalized[field.Key]) is not { Length: > 0 } value)
                {
                    continue;
                }

                if (seen.TryGetValue((field.Key, value), out var first))
                {
                    AddError(errors, row.Number, field.Key, $"与第 {first} 行重复 / repeats row {first}; the value must be unique");
                }
                else
                {
                    seen[(field.Key, value)] = row.Number;
                    checks.Add((row.Number, field.Key, value));
                }
            }
        }

        foreach (var chunk in checks.Chunk(500))
        {
            var found = await store.FindByFieldsAsync(app.Key, chunk.Select(c => (entity.Key, c.Field, c.Value)).ToList(), ct);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (found[i] is not null)
                {
                    AddError(errors, chunk[i].Row, chunk[i].Field, UniqueMessage);
                }
            }
        }

        return valid.Where(v => !errors.ContainsKey(v.Row.Number)).ToList();
    }

    private static void AddError(SortedDictionary<int, Dictionary<string, IReadOnlyList<string>>> errors, int row, string field, string message)
    {
        if (!errors.TryGetValue(row, out var fields))
        {
            errors[row] = fields = [];
        }

        fields[field] = fields.TryGetValue(field, out var existing) ? [.. existing, message] : [message];
    }

    private static RecordImportReport Report(
        ImportSheet sheet, int imported, bool dryRun, SortedDictionary<int, Dictionary<string, IReadOnlyList<string>>> errors, IReadOnlyList<Guid> ids) =>
        new(sheet.Rows.Count, imported, errors.Count, dryRun, errors.Select(e => new ImportRowError(e.Key, e.Value)).ToList(), ids);
}
