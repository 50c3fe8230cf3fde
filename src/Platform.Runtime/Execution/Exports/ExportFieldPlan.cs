using Platform.Core.Metadata;

namespace Platform.Runtime.Execution.Exports;

/// <summary>
/// One field of an export, planned once per export from metadata: how its values become cells, the option labels of
/// selects, the display field of the records a reference (or a row lookup that picks a referenced record) points at,
/// and the row fields of a sub-table.
/// </summary>
public sealed record ExportFieldPlan(string Key, string Label, ExportFieldKind Kind)
{
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>For references: the field of the target record shown; null shows nothing but the id.</summary>
    public string? DisplayField { get; init; }

    /// <summary>For sub-tables: the row fields.</summary>
    public IReadOnlyList<ExportFieldPlan> Fields { get; init; } = [];

    /// <summary>Plans every field of <paramref name="fields"/> (an entity's, or a sub-table's row fields).</summary>
    public static IReadOnlyList<ExportFieldPlan> For(AppDefinition app, IReadOnlyList<FieldDefinition> fields) =>
        fields.Select(f => For(app, f, fields)).ToList();

    private static ExportFieldPlan For(AppDefinition app, FieldDefinition field, IReadOnlyList<FieldDefinition> siblings)
    {
        var label = field.Label ?? field.Key;
        return field.Type switch
        {
            "boolean" => new(field.Key, label, ExportFieldKind.Boolean),
            "select" => new(field.Key, label, ExportFieldKind.Select) { Options = OptionsOf(field) },
            "multi-select" => new(field.Key, label, ExportFieldKind.MultiSelect) { Options = OptionsOf(field) },
            "number" or "integer" or "money" or "aggregate" => new(field.Key, label, ExportFieldKind.Number),
            "formula" => new(field.Key, label, ExportFieldKind.Formula),
            "datetime" => new(field.Key, label, ExportFieldKind.DateTime),
            "user" => new(field.Key, label, ExportFieldKind.User),
            "image" or "video" or "file" => new(field.Key, label, ExportFieldKind.Files),
            "sub-table" => new(field.Key, label, ExportFieldKind.SubTable) { Fields = For(app, field.Fields ?? []) },
            "reference" when field.Reference is { } reference =>
                new(field.Key, label, ExportFieldKind.Reference) { DisplayField = DisplayOf(app, reference) },
            "lookup" when RowReference(app, field, siblings) is { } reference =>
                new(field.Key, label, ExportFieldKind.Reference) { DisplayField = DisplayOf(app, reference) },
            _ => new(field.Key, label, ExportFieldKind.Text),
        };
    }

    private static Dictionary<string, string> OptionsOf(FieldDefinition field) =>
        (field.Options ?? []).GroupBy(o => o.Value, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Label, StringComparer.Ordinal);

    /// <summary>What names a record of the target: the reference's display field, else the entity's title field, else its first text field.</summary>
    private static string? DisplayOf(AppDefinition app, ReferenceSettings reference)
    {
        var target = app.FindEntity(reference.Entity);
        return reference.DisplayField ?? target?.TitleField ?? target?.Fields.FirstOrDefault(f => f.Type == "text")?.Key;
    }

    /// <summary>
    /// A row lookup (<c>source</c> + <c>rows</c>) stores the picked row's match field; when that row field is a
    /// reference (an order line's product) the value is a record id, shown by its display field like a reference.
    /// </summary>
    private static ReferenceSettings? RowReference(AppDefinition app, FieldDefinition field, IReadOnlyList<FieldDefinition> siblings)
    {
        if (field.Lookup is not { Source: { } source, Rows: { } rows } lookup)
        {
            return null;
        }

        var sourceEntity = siblings.FirstOrDefault(f => f.Key == source)?.Lookup?.Entity;
        var rowField = sourceEntity is null ? null : app.FindEntity(sourceEntity)?.FindField(rows)?.Fields?.FirstOrDefault(f => f.Key == lookup.MatchField);
        return rowField is { Type: "reference" } ? rowField.Reference : null;
    }
}
