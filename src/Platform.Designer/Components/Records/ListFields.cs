using Platform.Core.Metadata;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Records;

/// <summary>Which fields a record list shows, filters and sorts on, and the filter operators each field type takes (as the list API checks them).</summary>
public static class ListFields
{
    /// <summary>The audit columns every list may show after the fields.</summary>
    public static readonly IReadOnlyList<(string Key, string Zh, string En)> AuditColumns =
        [("createdAt", "创建时间", "Created"), ("updatedAt", "更新时间", "Updated"), ("createdBy", "创建人", "Created by")];

    private static readonly HashSet<string> Bulky = ["sub-table", "textarea", "image", "video", "file"];

    private static readonly HashSet<string> Numeric = ["number", "integer", "money", "formula", "aggregate"];

    /// <summary>Every column a list can show: the entity's fields (sub-tables and uploads too, as the export shows them) and the audit columns.</summary>
    public static IReadOnlyList<(string Key, string Label)> Columns(EntityDefinition entity) =>
        entity.Fields.Select(f => (f.Key, Label(f.Label, f.LabelEn, f.Key)))
            .Concat(AuditColumns.Select(a => (a.Key, T(a.Zh, a.En))))
            .ToList();

    /// <summary>
    /// What a list shows before the user chooses: up to seven compact fields in form order — the title and auto-numbers,
    /// the selects (statuses, kinds) and references first — then the creation time.
    /// </summary>
    public static IReadOnlyList<string> DefaultColumns(EntityDefinition entity)
    {
        var compact = entity.Fields.Where(f => !Bulky.Contains(f.Type)).ToList();
        int Rank(FieldDefinition f) =>
            f.Key == entity.TitleField || f.Type == "auto-number" ? 0 : f.Type is "select" or "multi-select" ? 1 : f.Type is "reference" or "user" ? 2 : 3;
        var chosen = compact.Select((f, i) => (f, i)).OrderBy(x => Rank(x.f)).ThenBy(x => x.i).Take(7).OrderBy(x => x.i).Select(x => x.f.Key);
        return chosen.Append("createdAt").ToList();
    }

    /// <summary>Fields the filter bar offers: values a person can type or pick (not references, sub-tables or uploads).</summary>
    public static IReadOnlyList<FieldDefinition> Filterable(EntityDefinition entity) =>
        entity.Fields.Where(f => f.Type is not ("sub-table" or "image" or "video" or "file" or "reference")).ToList();

    public static bool Sortable(FieldDefinition? field) => field is null || field.Type is not ("multi-select" or "sub-table" or "image" or "video" or "file");

    /// <summary>The operators a field type takes, in the order the bar offers them.</summary>
    public static IReadOnlyList<string> Operators(FieldDefinition? field) => field?.Type switch
    {
        null => ["ge", "lt", "gt", "le"],
        "select" => ["eq", "ne", "in"],
        "multi-select" => ["contains", "ne", "in"],
        "boolean" => ["eq", "ne"],
        "date" or "datetime" => ["eq", "ge", "le", "gt", "lt", "ne"],
        var t when Numeric.Contains(t) => ["eq", "ge", "le", "gt", "lt", "ne", "in"],
        _ => ["contains", "eq", "ne", "in"],
    };

    public static bool IsNumeric(FieldDefinition? field) => field is not null && Numeric.Contains(field.Type);

    public static string OperatorLabel(string op) => op switch
    {
        "eq" => T("等于", "equals"),
        "ne" => T("不等于", "not equal"),
        "gt" => T("大于", "greater than"),
        "ge" => T("大于等于", "at least"),
        "lt" => T("小于", "less than"),
        "le" => T("小于等于", "at most"),
        "contains" => T("包含", "contains"),
        "in" => T("属于", "is one of"),
        _ => op,
    };
}
