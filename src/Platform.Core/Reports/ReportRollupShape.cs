using Platform.Core.Metadata;
using Platform.Core.Reports.Definitions;

namespace Platform.Core.Reports;

/// <summary>
/// What a daily rollup of a report keeps: one row per day of <see cref="Day"/> and per combination of
/// <see cref="Groups"/> values, holding additive <see cref="Components"/>. A report can be rolled up when it
/// reads one entity, groups by plain fields and at most one date bucket, filters by plain fields (and by
/// <c>within</c> on the day field), and measures counts, sums, averages and ratios of those.
/// </summary>
public sealed record ReportRollupShape
{
    /// <summary>Name of the component counting every row of a group (a group with none is gone).</summary>
    public const string RowsComponent = "_rows";

    public required ReportPath Day { get; init; }

    /// <summary>Plain fields grouped on: the non-date dimensions, then the fields of eq parameters.</summary>
    public required IReadOnlyList<ReportPath> Groups { get; init; }

    public required IReadOnlyList<RollupComponent> Components { get; init; }

    /// <summary>Fixed filters applied when a record is counted (everything but <c>within</c> on the day field).</summary>
    public required IReadOnlyList<ReportFilter> WriteFilters { get; init; }

    /// <summary>Why <paramref name="report"/> cannot be rolled up, or null when it can.</summary>
    public static string? Explain(AppDefinition app, ReportDefinition report)
    {
        Of(app, report, out var reason);
        return reason;
    }

    /// <summary>The rollup shape of a report, or null (with the reason) when it cannot be rolled up.</summary>
    public static ReportRollupShape? Of(AppDefinition app, ReportDefinition report, out string? reason)
    {
        reason = null;
        if (report.Entity is null || app.FindEntity(report.Entity) is not { } root)
        {
            reason = "只有按实体统计的报表可以预聚合（rollup）";
            return null;
        }

        ReportPath? Plain(string field)
        {
            var path = ReportPaths.Resolve(app, root, field, false, out _);
            return path is { Hops.Count: 0 } && (path.System is null or "createdAt" or "createdBy") ? path : null;
        }

        string? dayField = report.Dimensions.FirstOrDefault(d => d.Bucket is not null)?.Field
            ?? report.Parameters.FirstOrDefault(p => p.Op == "range")?.Field
            ?? report.Filters.FirstOrDefault(f => ReportPeriod.IsRelativeOp(f.Op))?.Field
            ?? "createdAt";
        var day = Plain(dayField);
        if (day is null || !day.IsDateLike)
        {
            reason = $"预聚合的日期字段 '{dayField}' 须为本实体的日期字段或 createdAt";
            return null;
        }

        var groups = new List<ReportPath>();
        foreach (var dimension in report.Dimensions)
        {
            if (dimension.Bucket is not null)
            {
                if (dimension.Field != dayField)
                {
                    reason = "预聚合最多按一个日期字段分组";
                    return null;
                }

                continue;
            }

            var path = Plain(dimension.Field);
            if (path is null || path.Kind is not (ReportValueKind.Text or ReportValueKind.Number or ReportValueKind.Boolean))
            {
                reason = $"维度 '{dimension.Key}' 须为本实体的普通字段才能预聚合";
                return null;
            }

            groups.Add(path);
        }

        foreach (var parameter in report.Parameters)
        {
            if (parameter.Op == "range" && parameter.Field == dayField)
            {
                continue;
            }

            var path = parameter.Op == "eq" ? Plain(parameter.Field) : null;
            if (path is null || path.Kind != ReportValueKind.Text)
            {
                reason = $"参数 '{parameter.Key}' 须为日期范围或本实体文本/选项字段的等值筛选才能预聚合";
                return null;
            }

            if (groups.All(g => g.Text != path.Text))
            {
                groups.Add(path);
            }
        }

        var writeFilters = new List<ReportFilter>();
        foreach (var filter in report.Filters)
        {
            if (filter.Field == dayField && ReportPeriod.IsRelativeOp(filter.Op))
            {
                continue;
            }

            if (Plain(filter.Field) is null || ReportPeriod.IsRelativeOp(filter.Op) || filter.Field == dayField)
            {
                reason = $"筛选 '{filter.Field}' 须为本实体普通字段的条件（日期字段只能用 within / previous）才能预聚合";
                return null;
            }

            writeFilters.Add(filter);
        }

        var components = new List<RollupComponent> { new(RowsComponent, "count", null, []) };
        foreach (var measure in report.Measures)
        {
            if (measure.Entity is not null || measure.Where.Any(w => Plain(w.Field) is null || ReportPeriod.IsRelativeOp(w.Op)))
            {
                reason = $"指标 '{measure.Key}' 须来自本实体且条件为普通字段才能预聚合";
                return null;
            }

            switch (measure.Kind)
            {
                case "count" when measure.Field is null:
                    components.Add(new RollupComponent(measure.Key, "count", null, measure.Where));
                    break;
                case "sum" or "avg" when measure.Field is not null && Plain(measure.Field) is { Kind: ReportValueKind.Number }:
                    // The count of values also tells a sum over no values (null, as SQL's sum) from a sum of 0.
                    components.Add(new RollupComponent(measure.Key + ".sum", "sum", measure.Field, measure.Where));
                    components.Add(new RollupComponent(measure.Key + ".n", "count", measure.Field, measure.Where));
                    break;
                case "ratio":
                    break;
                default:
                    reason = $"指标 '{measure.Key}'（{measure.Kind}）不能预聚合：只支持 count、sum、avg 与 ratio";
                    return null;
            }
        }

        return new ReportRollupShape { Day = day, Groups = groups, Components = components, WriteFilters = writeFilters };
    }
}
