using System.Globalization;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

public sealed partial class ReportSqlCompiler
{
    /// <summary>
    /// Several reports of one entity answered from ONE scan of its report <paramref name="projection"/>: the rows are
    /// aggregated once to a fine grain (every dimension, every condition that is not common to all as a flag, and the
    /// additive parts of every measure: rows, sums, counts, minima, maxima), and each report is then aggregated from that
    /// grain, wrapped as alone (same columns, rounding, order and limit) and returned as one JSON array column each
    /// (<c>w0</c>, <c>w1</c>, … in the order given). Null when one of them cannot be answered so (a reference path, a flow,
    /// a distinct count or duration, a dimension that is not a select, boolean or a month/quarter/year bucket, which would
    /// make the grain as fine as the rows, or a value the projection does not keep): then each is compiled alone.
    /// </summary>
    public static CombinedReports? CompileCombined(AppDefinition app, IReadOnlyList<(ReportDefinition Report, ReportRequest Request)> reports, ReportProjectionShape projection)
    {
        if (reports.Count < 2)
        {
            return null;
        }

        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var grain = new Grain();
        var parts = new List<(ReportSqlCompiler Compiler, CombinedPart Part)>();
        foreach (var (report, request) in reports)
        {
            if (report.Flow is not null || report.Entity != projection.Entity || projection.App != app.Key)
            {
                return null;
            }

            var compiler = new ReportSqlCompiler(app, report, request, parameters) { projection = projection };
            try
            {
                if (compiler.CombinedPartOf(grain) is not { } part)
                {
                    return null;
                }

                parts.Add((compiler, part));
            }
            catch (ReportCompileException)
            {
                // Its error is reported when it is compiled alone.
                return null;
            }
        }

        var common = parts.Select(p => p.Part.Where).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal).ToList());
        var selects = new List<string>();
        for (var i = 0; i < parts.Count; i++)
        {
            var (compiler, part) = parts[i];
            var flags = part.Where.Where(w => !common.Contains(w, StringComparer.Ordinal)).Select(w => "f." + grain.Flag(w)).ToList();
            var group = part.GroupBy.Count == 0 ? string.Empty : " group by " + string.Join(", ", part.GroupBy);
            var inner = $"select {string.Join(", ", part.Select)} from f{(flags.Count == 0 ? string.Empty : " where " + string.Join(" and ", flags))}{group}";
            var wrapped = compiler.Wrap(inner);
            selects.Add($"(select coalesce(json_agg(w order by {compiler.wrappedOrder}), '[]'::json) from ({wrapped.Sql}) w) as \"w{i.ToString(CultureInfo.InvariantCulture)}\"");
        }

        var table = SqlIdentifiers.Name(projection.Table);
        var where = common.Count == 0 ? string.Empty : " where " + string.Join(" and ", common);
        var sql = $"with f as materialized (select {grain.Select()} from {table} s{where}{grain.GroupBy()}) select {string.Join(", ", selects)}";
        return new CombinedReports(sql, parameters, parts.Select(p => p.Compiler.Columns()).ToList());
    }

    /// <summary>This report's part of a combined statement, or null when it cannot be one (see <see cref="CompileCombined"/>).</summary>
    private CombinedPart? CombinedPartOf(Grain grain)
    {
        if (report.Measures.Any(m => m.Entity is not null || m.Kind is "distinct" or "duration" || (m.Kind is "min" or "max" && IsDateMeasure(m))))
        {
            return null;
        }

        var scope = new ReportSqlScope(app, root, null, projection);
        var select = new List<string>();
        var groupBy = new List<string>();
        foreach (var dimension in report.Dimensions)
        {
            var path = Resolve(scope, dimension.Field);
            RefuseHidden(scope, path, "dimensions." + dimension.Key);
            var bounded = path.Hops.Count == 0
                && (path.Field?.Options is { Count: > 0 } || path.Kind == ReportValueKind.Boolean || (path.IsDateLike && dimension.Bucket is "month" or "quarter" or "year"));
            if (!bounded)
            {
                return null;
            }

            var text = scope.Dimension(path, dimension.Bucket);
            var key = scope.GroupKey(path, dimension.Bucket);
            var column = "f." + grain.Column(key ?? text);

            // A date-time bucket is grouped by the truncated moment and formatted per group; its text is a function of that key.
            select.Add($"{(key is null ? column : text.Replace(key, column, StringComparison.Ordinal))} as {Quote("d_" + dimension.Key)}");
            groupBy.Add(column);
        }

        foreach (var measure in report.Measures.Where(m => m.Kind != "ratio"))
        {
            var filter = measure.Where.Count == 0
                ? string.Empty
                : $" filter (where f.{grain.Flag(string.Join(" and ", measure.Where.Select(w => Condition(scope, Resolve(scope, w.Field), w.Op, w.Value, "measures"))))})";
            string? value = null;
            if (measure.Field is { } field)
            {
                var path = Resolve(scope, field);
                RefuseHidden(scope, path, "measures." + measure.Key);
                value = scope.Value(path);
            }

            var aggregate = (measure.Kind, value) switch
            {
                // A count over no row is 0 (a ratio of it too), where a sum over no row is null.
                ("count", null) => $"coalesce(sum(f.{grain.Rows}){filter}, 0)::bigint",
                ("count", _) => $"coalesce(sum(f.{grain.Part("count", value)}){filter}, 0)::bigint",
                ("sum", _) => $"sum(f.{grain.Part("sum", value!)}){filter}",
                ("avg", _) => $"sum(f.{grain.Part("sum", value!)}){filter} / nullif(sum(f.{grain.Part("count", value!)}){filter}, 0)",
                ("min", _) => $"min(f.{grain.Part("min", value!)}){filter}",
                _ => $"max(f.{grain.Part("max", value!)}){filter}",
            };
            select.Add($"{aggregate} as {Quote("m_" + measure.Key)}");
        }

        var where = new List<string>();
        AddSourceConditions(scope, null, where);
        ThrowIfErrors();
        var (from, _) = scope.Source();
        if (scope.Missed || from != $"{SqlIdentifiers.Name(projection!.Table)} s")
        {
            return null;
        }

        return new CombinedPart(select, groupBy, where);
    }

    private sealed record CombinedPart(List<string> Select, List<string> GroupBy, List<string> Where);

    /// <summary>The fine grain's columns: group keys (<c>g…</c>), condition flags (<c>b…</c>) and additive parts (<c>a…</c>), each expression once.</summary>
    private sealed class Grain
    {
        private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> parts = new(StringComparer.Ordinal);

        public string Rows => "n";

        public string Column(string expression) => Name(keys, expression, "g");

        public string Flag(string condition) => Name(keys, $"coalesce({condition}, false)", "g");

        public string Part(string kind, string value) => Name(parts, $"{kind}({value})", "a");

        public string Select() =>
            string.Join(", ", keys.Select(k => $"{k.Key} as {k.Value}").Append($"count(*) as {Rows}").Concat(parts.Select(p => $"{p.Key} as {p.Value}")));

        public string GroupBy() => keys.Count == 0 ? string.Empty : " group by " + string.Join(", ", keys.Values);

        private static string Name(Dictionary<string, string> names, string expression, string prefix)
        {
            if (!names.TryGetValue(expression, out var name))
            {
                names[expression] = name = prefix + names.Count.ToString(CultureInfo.InvariantCulture);
            }

            return name;
        }
    }
}
