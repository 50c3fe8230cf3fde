using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;
using static Platform.Designer.Localization.Text;

namespace Platform.Designer.Components.Reports;

/// <summary>
/// The fields a report over an entity (or a flow's step visits) can use: the entity's own fields and system values,
/// then the fields of every entity reached through a reference or lookup (one hop, <c>product.category</c>), each
/// checked with <see cref="ReportPaths.Resolve"/>. Also the defaults a dropped field gets as a dimension, measure or filter.
/// </summary>
public static class ReportFieldCatalog
{
    public static IReadOnlyList<ReportFieldItem> For(AppDefinition app, EntityDefinition root, bool visits)
    {
        var items = new List<ReportFieldItem>();
        var prefix = visits ? "record." : string.Empty;
        var rootLabel = Label(root.Label, root.LabelEn, root.Key);
        if (visits)
        {
            var group = T("流程步骤", "Flow steps");
            items.Add(new ReportFieldItem("step", T("步骤", "Step"), group, ReportValueKind.Text, null));
            items.Add(new ReportFieldItem("enteredAt", T("进入时间", "Entered at"), group, ReportValueKind.Instant, null));
            items.Add(new ReportFieldItem("leftAt", T("离开时间", "Left at"), group, ReportValueKind.Instant, null));
        }

        foreach (var field in root.Fields.Where(f => f.Type != "sub-table"))
        {
            items.Add(new ReportFieldItem(prefix + field.Key, Label(field.Label, field.LabelEn, field.Key), rootLabel, ReportPaths.KindOf(field), field.Options));
        }

        items.Add(new ReportFieldItem(prefix + "createdAt", T("创建时间", "Created at"), rootLabel, ReportValueKind.Instant, null));
        items.Add(new ReportFieldItem(prefix + "updatedAt", T("更新时间", "Updated at"), rootLabel, ReportValueKind.Instant, null));
        items.Add(new ReportFieldItem(prefix + "createdBy", T("创建人", "Created by"), rootLabel, ReportValueKind.Text, null));
        items.Add(new ReportFieldItem(prefix + "flow.status", T("流程状态", "Flow status"), rootLabel, ReportValueKind.Text, null));

        foreach (var field in root.Fields.Where(f => f.Type is "reference" or "lookup"))
        {
            if (ReportPaths.TargetOf(app, root, field) is not { } target)
            {
                continue;
            }

            var group = $"{Label(field.Label, field.LabelEn, field.Key)} → {Label(target.Entity.Label, target.Entity.LabelEn, target.Entity.Key)}";
            foreach (var hop in target.Entity.Fields.Where(f => f.Type != "sub-table"))
            {
                var path = $"{prefix}{field.Key}.{hop.Key}";
                if (ReportPaths.Resolve(app, root, path, visits, out _) is { } resolved)
                {
                    items.Add(new ReportFieldItem(path, $"{Label(field.Label, field.LabelEn, field.Key)}.{Label(hop.Label, hop.LabelEn, hop.Key)}", group, resolved.Kind, hop.Options));
                }
            }
        }

        return items;
    }

    /// <summary>A key for a new dimension or measure from its path, unique among <paramref name="taken"/>.</summary>
    public static string KeyFor(string path, IEnumerable<string> taken)
    {
        var used = taken.ToHashSet(StringComparer.Ordinal);
        var basis = path == ReportFieldItem.CountPath ? "count" : path.Replace("record.", string.Empty, StringComparison.Ordinal).Replace('.', '_');
        basis = new string(basis.Select(c => char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_').ToArray()).Trim('_');
        if (basis.Length == 0 || !char.IsAsciiLetterLower(basis[0]))
        {
            basis = "f_" + basis;
        }

        var key = basis;
        for (var i = 2; used.Contains(key); i++)
        {
            key = $"{basis}_{i}";
        }

        return key;
    }

    public static ReportDimension Dimension(ReportFieldItem item, IEnumerable<string> taken) => new()
    {
        Key = KeyFor(item.Path, taken),
        Field = item.Path,
        Bucket = item.IsDate ? "month" : null,
        Label = item.Label,
    };

    /// <summary>Counting for the record item, sum for numbers, latest for dates, distinct values otherwise.</summary>
    public static ReportMeasure Measure(ReportFieldItem? item, string path, IEnumerable<string> taken)
    {
        var key = KeyFor(path, taken);
        if (path == ReportFieldItem.CountPath || item is null)
        {
            return new ReportMeasure { Key = key, Kind = "count", Label = T("记录数", "Records") };
        }

        var kind = item.Kind switch
        {
            ReportValueKind.Number => "sum",
            ReportValueKind.Date or ReportValueKind.Instant => "max",
            ReportValueKind.Boolean => "count",
            _ => "distinct",
        };
        return new ReportMeasure { Key = key, Kind = kind, Field = path, Label = item.Label };
    }

    public static ReportFilter Filter(ReportFieldItem item) => item.IsDate
        ? new ReportFilter { Field = item.Path, Op = "within", Value = "12m" }
        : item.Kind == ReportValueKind.Boolean
            ? new ReportFilter { Field = item.Path, Op = "eq", Value = true }
            : new ReportFilter { Field = item.Path, Op = item.Options is { Count: > 0 } ? "in" : "eq", Value = item.Options is { Count: > 0 } o ? new System.Text.Json.Nodes.JsonArray(o[0].Value) : null };
}
