using System.Text.Json.Nodes;
using Platform.Core.Expressions;
using Platform.Core.Forms;
using Platform.Core.Metadata;

namespace Platform.Designer.Components.Forms;

/// <summary>
/// The live state of a generated record form: what the user entered, and what the server's own form engine
/// (<see cref="RecordValidator"/>) makes of it — formulas, defaults, lookup fills, errors — plus visibility and
/// required-when evaluated with the same expression engine. Pure: the records lookups need are fetched by the
/// component (<see cref="MissingLookups"/> / <see cref="AddLookups"/>), so this class is tested without a browser.
/// </summary>
public sealed class RecordFormState
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoErrors = new Dictionary<string, IReadOnlyList<string>>();

    private readonly RecordValidator validator;
    private readonly DictionaryLookupSource lookups = new();
    private readonly Dictionary<LookupRequest, JsonObject?> fetched = [];
    private readonly HashSet<string> touched = new(StringComparer.Ordinal);
    private readonly HashSet<string> fillTargets;
    private readonly HashSet<string> hidden = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IReadOnlyList<string>> serverErrors = new(StringComparer.Ordinal);
    private IReadOnlyDictionary<string, IReadOnlyList<string>> clientErrors = NoErrors;
    private DateTimeOffset now = DateTimeOffset.UtcNow;
    private string? userName;

    public RecordFormState(
        AppDefinition app, EntityDefinition entity, RecordValidator validator, JsonObject? existing = null, JsonObject? initial = null,
        IReadOnlyList<string>? fields = null, bool isPublic = false, JsonObject? fixedValues = null)
    {
        FixedValues = fixedValues?.DeepClone().AsObject() ?? [];
        App = app;
        Entity = entity;
        this.validator = validator;
        Existing = existing;
        IsPublic = isPublic;
        AllowedFields = fields is { Count: > 0 } ? fields.ToHashSet(StringComparer.Ordinal) : null;
        fillTargets = entity.Fields.Where(f => f.Lookup is not null).SelectMany(f => f.Lookup!.Fill.Keys).ToHashSet(StringComparer.Ordinal);
        Input = (existing ?? initial)?.DeepClone().AsObject() ?? [];
        if (IsCreate)
        {
            foreach (var table in entity.Fields.Where(f => f.Type == "sub-table" && f.MinRows is > 0 && IsEditable(f)))
            {
                if (Input[table.Key] is not JsonArray)
                {
                    var rows = new JsonArray();
                    for (var i = 0; i < table.MinRows; i++)
                    {
                        rows.Add(new JsonObject());
                    }

                    Input[table.Key] = rows;
                }
            }
        }

        Computed = Input.DeepClone().AsObject();
        Sections = PlanSections();
    }

    public AppDefinition App { get; }

    public EntityDefinition Entity { get; }

    /// <summary>The stored data when editing; null when creating.</summary>
    public JsonObject? Existing { get; }

    public bool IsCreate => Existing is null;

    public bool IsPublic { get; }

    /// <summary>The only fields the client may set (a public form's fields); null = every field.</summary>
    public IReadOnlySet<string>? AllowedFields { get; }

    /// <summary>Values the page sets, not the person (a per-record link's subject): in every check and submission, never shown.</summary>
    public JsonObject FixedValues { get; }

    /// <summary>What the user entered (editable fields), sub-tables as arrays of row objects.</summary>
    public JsonObject Input { get; private set; }

    /// <summary>The data as the form engine computed it at the last <see cref="Recompute"/>.</summary>
    public JsonObject Computed { get; private set; }

    /// <summary>Set by the first submit attempt: from then on every error is shown, not only those of touched fields.</summary>
    public bool Submitted { get; private set; }

    public IReadOnlyList<FormSectionPlan> Sections { get; }

    /// <summary>The validator's errors at the last recompute, keyed by path.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ClientErrors => clientErrors;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ServerErrors => serverErrors;

    public FieldTypeRegistry Types => validator.Types;

    /// <summary>Whether the user can change the field (the validator takes a submitted value for it).</summary>
    public bool IsEditable(FieldDefinition field) =>
        !field.System && !field.ReadOnly && !fillTargets.Contains(field.Key)
        && validator.Types.TryGet(field.Type, out var type) && type.AcceptsInput
        && (AllowedFields is null || AllowedFields.Contains(field.Key));

    public bool IsEditable(FieldCell cell) =>
        cell.InRow
            ? !cell.Field.System && !cell.Field.ReadOnly && validator.Types.TryGet(cell.Field.Type, out var type) && type.AcceptsInput
            : IsEditable(cell.Field);

    /// <summary>The value to show: what the user typed for editable inputs, the computed value for the rest.</summary>
    public JsonNode? ValueOf(FieldCell cell)
    {
        var editable = IsEditable(cell);
        if (!cell.InRow)
        {
            return editable ? Input[cell.Key] : Computed[cell.Key];
        }

        var rows = (editable ? Input : Computed)[cell.Table!] as JsonArray;
        return rows is not null && cell.Row < rows.Count ? (rows[cell.Row] as JsonObject)?[cell.Key] : null;
    }

    /// <summary>The rows of a sub-table as entered.</summary>
    public JsonArray Rows(string table) => Input[table] as JsonArray ?? [];

    public bool IsVisible(FieldDefinition field) => !hidden.Contains(field.Key);

    public bool IsVisible(FieldCell cell)
    {
        if (!cell.InRow)
        {
            return !hidden.Contains(cell.Key);
        }

        if (hidden.Contains(cell.Table!) || cell.Field.VisibleWhen is null)
        {
            return !hidden.Contains(cell.Table!);
        }

        return Evaluate(cell.Field.VisibleWhen, RowScope(cell.Table!, cell.Row));
    }

    public bool IsVisible(FormSectionPlan section) =>
        (section.VisibleWhen is null || Evaluate(section.VisibleWhen, RecordScope())) && section.Fields.Any(IsVisible);

    /// <summary>Required now (always, or because its required-when condition holds) — the validator's rule.</summary>
    public bool IsRequired(FieldCell cell)
    {
        var field = cell.Field;
        if (field.System || field.ReadOnly || !validator.Types.TryGet(field.Type, out var type) || !type.AcceptsInput)
        {
            return false;
        }

        return field.Required || (field.RequiredWhen is not null && Evaluate(field.RequiredWhen, cell.InRow ? RowScope(cell.Table!, cell.Row) : RecordScope()));
    }

    /// <summary>The errors to show at a path: the server's, and the validator's once the field was touched or a submit was tried.</summary>
    public IReadOnlyList<string> ErrorsAt(string path, string? topKey = null)
    {
        var list = new List<string>();
        if (serverErrors.TryGetValue(path, out var server))
        {
            list.AddRange(server);
        }

        if ((Submitted || touched.Contains(path) || (topKey is not null && touched.Contains(topKey) && path == topKey)) && clientErrors.TryGetValue(path, out var client))
        {
            list.AddRange(client.Where(m => !list.Contains(m)));
        }

        return list;
    }

    public IReadOnlyList<string> ErrorsAt(FieldCell cell) => ErrorsAt(cell.Path, cell.TopKey);

    /// <summary>Every error to list in the summary: the server's, and after a submit attempt the validator's.</summary>
    public IReadOnlyList<(string Path, string Message)> AllErrors()
    {
        var all = new List<(string, string)>();
        foreach (var (path, messages) in serverErrors)
        {
            all.AddRange(messages.Select(m => (path, m)));
        }

        if (Submitted)
        {
            foreach (var (path, messages) in clientErrors)
            {
                all.AddRange(messages.Where(m => !all.Contains((path, m))).Select(m => (path, m)));
            }
        }

        return all;
    }

    /// <summary>Sets what the user entered at a cell; clears the server's errors there and row picks that depended on it.</summary>
    public void Set(FieldCell cell, JsonNode? value)
    {
        touched.Add(cell.Path);
        serverErrors.Remove(cell.Path);
        if (!cell.InRow)
        {
            SetValue(Input, cell.Key, value);
            foreach (var dependent in Entity.Fields.Where(f => f.Lookup?.Source == cell.Key))
            {
                Input.Remove(dependent.Key);
                serverErrors.Remove(dependent.Key);
            }

            return;
        }

        serverErrors.Remove(cell.Table!);
        if (Rows(cell.Table!) is { } rows && cell.Row < rows.Count && rows[cell.Row] is JsonObject row)
        {
            SetValue(row, cell.Key, value);
        }
    }

    /// <summary>Marks an input as visited (its errors show from now on).</summary>
    public void Touch(FieldCell cell) => touched.Add(cell.Path);

    public void AddRow(string table)
    {
        if (Input[table] is not JsonArray rows)
        {
            Input[table] = rows = [];
        }

        rows.Add(new JsonObject());
        touched.Add(table);
        serverErrors.Remove(table);
    }

    public void RemoveRow(string table, int index)
    {
        if (Input[table] is JsonArray rows && index >= 0 && index < rows.Count)
        {
            rows.RemoveAt(index);
            touched.Add(table);
            foreach (var key in serverErrors.Keys.Where(k => k == table || k.StartsWith(table + "[", StringComparison.Ordinal)).ToList())
            {
                serverErrors.Remove(key);
            }
        }
    }

    /// <summary>Records the lookups and references need that were not fetched yet (for validation and for display).</summary>
    public IReadOnlyList<LookupRequest> MissingLookups()
    {
        var wanted = new HashSet<LookupRequest>(validator.GetLookupRequests(Entity, Submission(), Existing));
        foreach (var field in Entity.Fields)
        {
            AddDisplayRequests(wanted, field, Computed[field.Key]);
            if (field.Type == "sub-table" && field.Fields is not null && Computed[field.Key] is JsonArray rows)
            {
                foreach (var row in rows.OfType<JsonObject>())
                {
                    foreach (var rowField in field.Fields)
                    {
                        AddDisplayRequests(wanted, rowField, row[rowField.Key]);
                    }
                }
            }
        }

        foreach (var field in Entity.Fields.Where(f => f.Lookup is { Source: not null, Rows: not null }))
        {
            foreach (var option in RowOptionsRaw(field))
            {
                if (option.Reference is { } entity)
                {
                    wanted.Add(new LookupRequest(entity, "id", option.Value));
                }
            }
        }

        return wanted.Where(r => !fetched.ContainsKey(r)).ToList();
    }

    public void AddLookups(IReadOnlyList<LookupRequest> requests, IReadOnlyList<JsonObject?> found)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            fetched[requests[i]] = i < found.Count ? found[i] : null;
            lookups.Add(requests[i], fetched[requests[i]]);
        }
    }

    /// <summary>A fetched record, or null (not fetched yet, or none matches).</summary>
    public JsonObject? Found(string entity, string field, string value) => fetched.GetValueOrDefault(new LookupRequest(entity, field, value));

    /// <summary>The display text of a referenced record (its display or title field), or null until it is fetched.</summary>
    public string? ReferenceTitle(ReferenceSettings reference, string? id)
    {
        if (id is null || Found(reference.Entity, "id", id) is not { } data)
        {
            return null;
        }

        var display = reference.DisplayField ?? App.FindEntity(reference.Entity)?.TitleField;
        return display is not null && FieldValues.AsText(data[display]) is { Length: > 0 } text ? text : id[..8];
    }

    /// <summary>The rows a row lookup offers (rows of the record its source lookup found), as (value, label).</summary>
    public IReadOnlyList<(string Value, string Label)> RowOptions(FieldDefinition field) =>
        RowOptionsRaw(field).Select(o => (o.Value, o.Reference is { } r ? ReferenceTitle(new ReferenceSettings(r) { DisplayField = o.DisplayField }, o.Value) ?? o.Value : o.Value)).ToList();

    /// <summary>Runs the form engine over the current input, as the server will when the form is sent.</summary>
    public void Recompute(DateTimeOffset at, string? user)
    {
        now = at;
        userName = user;
        var result = validator.Validate(Entity, Submission(), new RecordValidationContext
        {
            Now = at,
            UserName = user,
            Existing = Existing,
            IsPublic = IsPublic,
            AllowedFields = AllowedFields is null || FixedValues.Count == 0 ? AllowedFields : AllowedFields.Concat(FixedValues.Select(p => p.Key)).ToHashSet(StringComparer.Ordinal),
            Lookups = lookups,
        });
        Computed = result.Data;
        clientErrors = result.Errors;

        // Values the engine chose for empty inputs (defaults, the only row of an order) become the inputs.
        foreach (var field in Entity.Fields.Where(f => f.Type != "sub-table" && IsEditable(f)))
        {
            if (FieldValues.IsEmpty(Input[field.Key]) && !FieldValues.IsEmpty(Computed[field.Key]))
            {
                Input[field.Key] = Computed[field.Key]!.DeepClone();
            }
        }

        hidden.Clear();
        var scope = RecordScope();
        var sectionOf = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in Entity.Form?.Sections ?? [])
        {
            if (section.VisibleWhen is not null)
            {
                foreach (var key in section.Fields)
                {
                    sectionOf.TryAdd(key, section.VisibleWhen);
                }
            }
        }

        foreach (var field in Entity.Fields)
        {
            var visible = (field.VisibleWhen is null || Evaluate(field.VisibleWhen, scope))
                && (!sectionOf.TryGetValue(field.Key, out var condition) || Evaluate(condition, scope));
            if (!visible)
            {
                hidden.Add(field.Key);
            }
        }
    }

    /// <summary>Marks a submit attempt; true when the form engine found nothing to complain about.</summary>
    public bool TrySubmit()
    {
        Submitted = true;
        serverErrors.Clear();
        return clientErrors.Count == 0;
    }

    /// <summary>Shows the server's errors (422) on their fields; keys are paths as the API names them.</summary>
    public void SetServerErrors(IReadOnlyDictionary<string, IReadOnlyList<string>> errors)
    {
        serverErrors.Clear();
        foreach (var (path, messages) in errors)
        {
            serverErrors[path] = messages;
        }
    }

    /// <summary>
    /// The body to send (<c>{ data }</c> of the records API): every editable field the user filled; when editing,
    /// emptied fields are sent as null so they are cleared.
    /// </summary>
    public JsonObject Submission()
    {
        var data = new JsonObject();
        foreach (var field in Entity.Fields.Where(IsEditable))
        {
            var value = Input[field.Key];
            if (field.Type == "sub-table")
            {
                if (value is JsonArray rows)
                {
                    data[field.Key] = CleanRows(field, rows);
                }
                else if (!IsCreate && Existing?[field.Key] is not null)
                {
                    data[field.Key] = new JsonArray();
                }

                continue;
            }

            if (!FieldValues.IsEmpty(value))
            {
                data[field.Key] = value!.DeepClone();
            }
            else if (!IsCreate && Existing?[field.Key] is not null)
            {
                data[field.Key] = null;
            }
        }

        foreach (var (key, value) in FixedValues)
        {
            data[key] = value?.DeepClone();
        }

        return data;
    }

    /// <summary>A path as a person reads it: <c>items[2].quantity</c> → 订单明细 第 3 行 · 数量.</summary>
    public string PathLabel(string path)
    {
        var bracket = path.IndexOf('[', StringComparison.Ordinal);
        if (bracket < 0)
        {
            return FieldLabel(Entity.FindField(path), path);
        }

        var tableKey = path[..bracket];
        var table = Entity.FindField(tableKey);
        var close = path.IndexOf(']', bracket);
        var row = close > bracket && int.TryParse(path[(bracket + 1)..close], out var r) ? r + 1 : 0;
        var rest = close >= 0 && close + 2 <= path.Length ? path[(close + 2)..] : string.Empty;
        var cellField = table?.Fields?.FirstOrDefault(f => f.Key == rest);
        var rowText = Localization.Text.T($"第 {row} 行", $"row {row}");
        return rest.Length == 0
            ? $"{FieldLabel(table, tableKey)} {rowText}"
            : $"{FieldLabel(table, tableKey)} {rowText} · {FieldLabel(cellField, rest)}";
    }

    public static string FieldLabel(FieldDefinition? field, string fallback) =>
        Localization.Text.Label(field?.Label, field?.LabelEn, fallback);

    private IReadOnlyList<FormSectionPlan> PlanSections()
    {
        bool Shown(FieldDefinition f) =>
            (AllowedFields is null || AllowedFields.Contains(f.Key)) && !(f.System && (IsCreate || IsPublic));

        var placed = new HashSet<string>(StringComparer.Ordinal);
        var sections = new List<FormSectionPlan>();
        foreach (var section in Entity.Form?.Sections ?? [])
        {
            var fields = section.Fields.Select(Entity.FindField).OfType<FieldDefinition>().Where(f => placed.Add(f.Key)).Where(Shown).ToList();
            if (fields.Count > 0)
            {
                sections.Add(new FormSectionPlan(section.Key, section.Title, section.TitleEn, Math.Clamp(section.Columns, 1, 4), fields, section.VisibleWhen));
            }
        }

        var rest = Entity.Fields.Where(f => !placed.Contains(f.Key)).Where(Shown).ToList();
        if (AllowedFields is not null)
        {
            // A public form lists its fields in its own order when the layout does not place them.
            rest = rest.OrderBy(f => AllowedFields.ToList().IndexOf(f.Key)).ToList();
        }

        if (rest.Count > 0)
        {
            sections.Add(new FormSectionPlan("$rest", sections.Count == 0 ? null : "其他", sections.Count == 0 ? null : "Other", 2, rest, null));
        }

        return sections;
    }

    private void AddDisplayRequests(HashSet<LookupRequest> wanted, FieldDefinition field, JsonNode? value)
    {
        if (field.Type == "reference" && field.Reference is { } reference && FieldValues.AsText(value) is { } id && Guid.TryParse(id, out var guid))
        {
            wanted.Add(new LookupRequest(reference.Entity, "id", guid.ToString()));
        }
    }

    private IEnumerable<(string Value, string? Reference, string? DisplayField)> RowOptionsRaw(FieldDefinition field)
    {
        var lookup = field.Lookup!;
        var source = Entity.FindField(lookup.Source!);
        if (source?.Lookup?.Entity is not { } target || FieldValues.AsText(Input[source.Key] ?? Computed[source.Key])?.Trim() is not { Length: > 0 } sourceValue)
        {
            yield break;
        }

        if (Found(target, source.Lookup.MatchField, sourceValue)?[lookup.Rows!] is not JsonArray rows)
        {
            yield break;
        }

        var rowField = App.FindEntity(target)?.FindField(lookup.Rows!)?.Fields?.FirstOrDefault(f => f.Key == lookup.MatchField);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows.OfType<JsonObject>())
        {
            if (FieldValues.AsText(row[lookup.MatchField]) is { Length: > 0 } value && seen.Add(value))
            {
                yield return (value, rowField?.Reference?.Entity, rowField?.Reference?.DisplayField);
            }
        }
    }

    private JsonArray CleanRows(FieldDefinition table, JsonArray rows)
    {
        var clean = new JsonArray();
        foreach (var row in rows.OfType<JsonObject>())
        {
            var cleanRow = new JsonObject();
            foreach (var field in table.Fields ?? [])
            {
                if (!field.System && !field.ReadOnly && validator.Types.TryGet(field.Type, out var type) && type.AcceptsInput && !FieldValues.IsEmpty(row[field.Key]))
                {
                    cleanRow[field.Key] = row[field.Key]!.DeepClone();
                }
            }

            clean.Add(cleanRow);
        }

        return clean;
    }

    private ExpressionScope RecordScope()
    {
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var field in Entity.Fields)
        {
            variables[field.Key] = Computed[field.Key] ?? (IsEditable(field) ? Input[field.Key] : null);
        }

        return new ExpressionScope(variables, now, userName);
    }

    private ExpressionScope RowScope(string table, int index)
    {
        var definition = Entity.FindField(table);
        var row = (Computed[table] as JsonArray) is { } computedRows && index < computedRows.Count ? computedRows[index] as JsonObject : null;
        var input = Rows(table) is { } inputRows && index < inputRows.Count ? inputRows[index] as JsonObject : null;
        var variables = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var field in definition?.Fields ?? [])
        {
            variables[field.Key] = row?[field.Key] ?? input?[field.Key];
        }

        variables["$record"] = Computed;
        return new ExpressionScope(variables, now, userName);
    }

    private bool Evaluate(string expression, ExpressionScope scope)
    {
        try
        {
            return validator.Expressions.EvaluateBool(expression, scope);
        }
        catch (ExpressionFault)
        {
            return false;
        }
    }

    private static void SetValue(JsonObject target, string key, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(key);
        }
        else
        {
            target[key] = value.Parent is null ? value : value.DeepClone();
        }
    }
}
