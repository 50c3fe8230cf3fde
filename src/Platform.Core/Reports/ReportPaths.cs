using Platform.Core.Metadata;

namespace Platform.Core.Reports;

/// <summary>
/// Resolves dotted field paths against metadata: every segment before the last must be a reference field (or a
/// lookup that finds a record), so <c>product.category</c> reads the category of the referenced product. Names
/// never come from anywhere else, which is what keeps compiled SQL free of injected text.
/// </summary>
public static class ReportPaths
{
    /// <summary>System values every record has.</summary>
    public static readonly IReadOnlyDictionary<string, ReportValueKind> RecordSystem = new Dictionary<string, ReportValueKind>(StringComparer.Ordinal)
    {
        ["id"] = ReportValueKind.Text,
        ["createdAt"] = ReportValueKind.Instant,
        ["updatedAt"] = ReportValueKind.Instant,
        ["createdBy"] = ReportValueKind.Text,
        ["updatedBy"] = ReportValueKind.Text,
        ["flow.status"] = ReportValueKind.Text,
        ["flow.startedAt"] = ReportValueKind.Instant,
        ["flow.endedAt"] = ReportValueKind.Instant,
    };

    /// <summary>Values of a flow step visit (rows of a flow-sourced report).</summary>
    public static readonly IReadOnlyDictionary<string, ReportValueKind> VisitSystem = new Dictionary<string, ReportValueKind>(StringComparer.Ordinal)
    {
        ["step"] = ReportValueKind.Text,
        ["enteredAt"] = ReportValueKind.Instant,
        ["leftAt"] = ReportValueKind.Instant,
    };

    private const int MaxHops = 3;

    /// <summary>The value kind a field type is stored as.</summary>
    public static ReportValueKind KindOf(FieldDefinition field) => field.Type switch
    {
        "number" or "integer" or "money" or "aggregate" => ReportValueKind.Number,
        "formula" when field.Scale is not null => ReportValueKind.Number,
        "boolean" => ReportValueKind.Boolean,
        "date" => ReportValueKind.Date,
        "datetime" => ReportValueKind.Instant,
        "multi-select" or "image" or "video" or "file" or "sub-table" => ReportValueKind.List,
        _ => ReportValueKind.Text,
    };

    /// <summary>Resolves <paramref name="path"/> from <paramref name="root"/>; for step visits (<paramref name="visits"/>) record values are under <c>record.</c>.</summary>
    public static ReportPath? Resolve(AppDefinition app, EntityDefinition root, string? path, bool visits, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(path))
        {
            error = "字段路径不能为空 / field path is required";
            return null;
        }

        if (visits)
        {
            if (VisitSystem.TryGetValue(path, out var visitKind))
            {
                return new ReportPath { Text = path, Entity = root, System = path, Kind = visitKind, OfVisit = true };
            }

            if (!path.StartsWith("record.", StringComparison.Ordinal))
            {
                error = $"'{path}' 不是步骤记录的字段：可用 step、enteredAt、leftAt 或 record.字段";
                return null;
            }

            path = path["record.".Length..];
        }

        if (RecordSystem.TryGetValue(path, out var systemKind))
        {
            return new ReportPath { Text = path, Entity = root, System = path, Kind = systemKind };
        }

        var segments = path.Split('.');
        var hops = new List<ReportHop>();
        var entity = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            var segment = segments[i];
            if (last && RecordSystem.TryGetValue(segment, out var hopSystem) && hops.Count > 0)
            {
                return new ReportPath { Text = path, Hops = hops, Entity = entity, System = segment, Kind = hopSystem };
            }

            var field = entity.FindField(segment);
            if (field is null)
            {
                error = $"实体 '{entity.Key}' 中没有字段 '{segment}'（路径 '{path}'）";
                return null;
            }

            var target = TargetOf(app, entity, field);
            if (last)
            {
                return new ReportPath
                {
                    Text = path,
                    Hops = hops,
                    Entity = entity,
                    Field = field,
                    Kind = KindOf(field),
                    References = target?.Entity,
                };
            }

            if (target is null)
            {
                error = $"'{segment}' 不是引用字段，不能继续取 '{segments[i + 1]}'（路径 '{path}'）";
                return null;
            }

            if (hops.Count == MaxHops)
            {
                error = $"路径 '{path}' 跨越的引用超过 {MaxHops} 层";
                return null;
            }

            hops.Add(new ReportHop(string.Join('.', segments[..(i + 1)]), field, target.Value.Entity, target.Value.MatchField));
            entity = target.Value.Entity;
        }

        error = $"路径 '{path}' 无效";
        return null;
    }

    /// <summary>The entity a field points to and how: references by id, record lookups by their match field, row lookups by the row field they copy.</summary>
    public static (EntityDefinition Entity, string? MatchField)? TargetOf(AppDefinition app, EntityDefinition entity, FieldDefinition field)
    {
        switch (field.Type)
        {
            case "reference" when field.Reference is { } reference && app.FindEntity(reference.Entity) is { } referenced:
                return (referenced, null);
            case "lookup" when field.Lookup is { Entity: { } lookupEntity } lookup && app.FindEntity(lookupEntity) is { } found:
                return (found, lookup.MatchField);
            case "lookup" when field.Lookup is { Source: { } source, Rows: { } rows } rowLookup:
                {
                    // A row lookup holds the value of the row's match field; when that is a reference, so is this.
                    var sourceField = entity.FindField(source);
                    if (sourceField is null || TargetOf(app, entity, sourceField) is not { } sourceTarget)
                    {
                        return null;
                    }

                    var rowField = sourceTarget.Entity.FindField(rows)?.Fields?.FirstOrDefault(f => f.Key == rowLookup.MatchField);
                    return rowField is { Type: "reference", Reference: { } rowRef } && app.FindEntity(rowRef.Entity) is { } rowTarget
                        ? (rowTarget, null)
                        : null;
                }

            default:
                return null;
        }
    }
}
