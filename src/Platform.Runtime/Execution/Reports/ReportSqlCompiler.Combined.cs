using System.Globalization;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

public sealed partial class ReportSqlCompiler
{
    /// <summary>
    /// Several reports of one entity answered from ONE scan of its report <paramref name="projection"/>: the rows are aggregated
    /// once to a fine grain — every dimension of the reports (bounded ones only: selects, booleans, month/quarter/year buckets) —
    /// with the additive parts of every measure (rows, sums, counts, minima, maxima), each under the report's own conditions
    /// (filters, parameters and the measure's conditions not common to all) as a FILTER, so a condition splits no group and the
    /// grain keeps plain columns the planner has statistics for (a parallel partial aggregate). Each report is then aggregated from
    /// that grain, wrapped as alone (same columns, rounding, order and limit) and returned as one JSON array column each (<c>w0</c>,
    /// <c>w1</c>, … of the reports included, in the order given). A report that cannot be answered so (a flow, another entity, a
    /// measure of another entity, a distinct count, a duration, a date minimum or maximum, an unbounded dimension, a value the
    /// projection does not keep, or bad viewer input) is left out, to be compiled alone; null when fewer than two are left.
    /// </summary>
    public static CombinedReports? CompileCombined(AppDefinition app, IReadOnlyList<(ReportDefinition Report, ReportRequest Request)> reports, ReportProjectionShape projection)
    {
        if (reports.Count < 2)
        {
            return null;
        }

        var parameters = new Dictionary<string, object?>(StringComparer.Ordinal);
        var compilers = new List<(ReportSqlCompiler Compiler, List<string> Where)>();
        var included = new List<int>();
        for (var i = 0; i < reports.Count; i++)
        {
            var (report, request) = reports[i];
            if (report.Flow is not null || report.Entity != projection.Entity || projection.App != app.Key)
            {
                continue;
            }

            // Its own parameters: a report left out must not leave its values among the statement's.
            var own = new Dictionary<string, object?>(parameters, StringComparer.Ordinal);
            var compiler = new ReportSqlCompiler(app, report, request, own) { projection = projection };
            try
            {
                if (compiler.CombinedConditions() is not { } where)
                {
                    continue;
                }

                compilers.Add((new ReportSqlCompiler(app, report, request, parameters) { projection = projection }, where));
                included.Add(i);
            }
            catch (ReportCompileException)
            {
                // Its error is reported when it is compiled alone.
            }
        }

        if (compilers.Count < 2)
        {
            return null;
        }

        // Compiled again on the statement's parameters: equal values are named alike, so equal conditions read alike.
        for (var i = 0; i < compilers.Count; i++)
        {
            compilers[i] = (compilers[i].Compiler, compilers[i].Compiler.CombinedConditions()!);
        }

        // Conditions every report has are the scan's; the others are FILTERs of the report's own parts.
        var common = compilers.Select(p => p.Where).Aggregate((a, b) => a.Intersect(b, StringComparer.Ordinal).ToList());
        var grain = new Grain();
        var selects = new List<string>();
        for (var i = 0; i < compilers.Count; i++)
        {
            var (compiler, where) = compilers[i];
            var own = where.Where(w => !common.Contains(w, StringComparer.Ordinal)).ToList();
            var inner = compiler.CombinedPartOf(grain, own);
            var wrapped = compiler.Wrap(inner);
            selects.Add($"(select coalesce(json_agg(w order by {compiler.wrappedOrder}), '[]'::json) from ({wrapped.Sql}) w) as \"w{i.ToString(CultureInfo.InvariantCulture)}\"");
        }

        var table = SqlIdentifiers.Name(projection.Table);
        var scan = common.Count == 0 ? string.Empty : " where " + string.Join(" and ", common.Select(c => $"({c})"));
        var sql = $"with f as materialized (select {grain.Select()} from {table} s{scan}{grain.GroupBy()}) select {string.Join(", ", selects)}";
        return new CombinedReports(sql, parameters, compilers.Select(p => p.Compiler.Columns()).ToList(), included);
    }

    /// <summary>The report's source conditions (filters, parameters, row scope) over the projection, or null when it cannot be combined.</summary>
    private List<string>? CombinedConditions()
    {
        if (report.Measures.Any(m => m.Entity is not null || m.Kind is "distinct" or "duration" || (m.Kind is "min" or "max" && IsDateMeasure(m))))
        {
            return null;
        }

        var scope = new ReportSqlScope(app, root, null, projection);
        foreach (var dimension in report.Dimensions)
        {
            // A grain as fine as the rows would cost more than the report alone: selects, booleans and month/quarter/year buckets only.
            var path = Resolve(scope, dimension.Field);
            RefuseHidden(scope, path, "dimensions." + dimension.Key);
            if (path.Hops.Count > 0 || !(path.Field?.Options is { Count: > 0 } || path.Kind == ReportValueKind.Boolean || (path.IsDateLike && dimension.Bucket is "month" or "quarter" or "year")))
            {
                return null;
            }
        }

        foreach (var field in report.Measures.SelectMany(m => new[] { m.Field, m.From, m.To }).OfType<string>())
        {
            RefuseHidden(scope, Resolve(scope, field), "measures");
        }

        var where = new List<string>();
        AddSourceConditions(scope, null, where);
        ThrowIfErrors();
        var (from, _) = scope.Source();
        return scope.Missed || from != $"{SqlIdentifiers.Name(projection!.Table)} s" ? null : where;
    }

    /// <summary>This report aggregated from the grain <c>f</c> (its inner query, before <see cref="Wrap"/>).</summary>
    private string CombinedPartOf(Grain grain, List<string> own)
    {
        var scope = new ReportSqlScope(app, root, null, projection);
        var select = new List<string>();
        var groupBy = new List<string>();
        foreach (var dimension in report.Dimensions)
        {
            var path = Resolve(scope, dimension.Field);
            RefuseHidden(scope, path, "dimensions." + dimension.Key);
            var text = scope.Dimension(path, dimension.Bucket);
            var key = scope.GroupKey(path, dimension.Bucket);
            var column = "f." + grain.Column(key ?? text);

            // A date-time bucket is grouped by the truncated moment and formatted per group; its text is a function of that key.
            select.Add($"{(key is null ? column : text.Replace(key, column, StringComparison.Ordinal))} as {Quote("d_" + dimension.Key)}");
            groupBy.Add(column);
        }

        string Filter(IEnumerable<string> conditions)
        {
            var all = conditions.ToList();
            return all.Count == 0 ? string.Empty : $" filter (where {string.Join(" and ", all.Select(c => $"({c})"))})";
        }

        foreach (var measure in report.Measures.Where(m => m.Kind != "ratio"))
        {
            var filter = Filter(own.Concat(measure.Where.Select(w => Condition(scope, Resolve(scope, w.Field), w.Op, w.Value, "measures"))));
            string? value = null;
            if (measure.Field is { } field)
            {
                var path = Resolve(scope, field);
                RefuseHidden(scope, path, "measures." + measure.Key);
                value = scope.Value(path);
            }

            string Part(string kind) => "f." + grain.Part($"{kind}({value ?? "*"}){filter}");
            var aggregate = (measure.Kind, value) switch
            {
                // A count over no row is 0 (a ratio of it too), where a sum over no row is null.
                ("count", _) => $"coalesce(sum({Part("count")}), 0)::bigint",
                ("sum", _) => $"sum({Part("sum")})",
                ("avg", _) => $"sum({Part("sum")}) / nullif(sum({Part("count")}), 0)",
                ("min", _) => $"min({Part("min")})",
                _ => $"max({Part("max")})",
            };
            select.Add($"{aggregate} as {Quote("m_" + measure.Key)}");
        }

        ThrowIfErrors();
        var group = groupBy.Count == 0 ? string.Empty : " group by " + string.Join(", ", groupBy);

        // A group of the grain holds rows the report's own conditions may all leave out: then the report has no such group.
        var having = own.Count == 0 || groupBy.Count == 0 ? string.Empty : $" having sum(f.{grain.Part("count(*)" + Filter(own))}) > 0";
        return $"select {string.Join(", ", select)} from f{group}{having}";
    }

    /// <summary>The fine grain's columns: group keys (<c>g…</c>) and additive parts (<c>a…</c>), each expression once.</summary>
    private sealed class Grain
    {
        private readonly Dictionary<string, string> keys = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> parts = new(StringComparer.Ordinal);

        public string Column(string expression) => Name(keys, expression, "g");

        public string Part(string aggregate) => Name(parts, aggregate, "a");

        public string Select() =>
            string.Join(", ", keys.Select(k => $"{k.Key} as {k.Value}").Concat(parts.Select(p => $"{p.Key} as {p.Value}")).DefaultIfEmpty("count(*) as n"));

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
