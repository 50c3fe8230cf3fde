using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Compiles a validated report definition and the viewer's input into one parameterised SELECT over the JSONB
/// records (grouped per source, sources full-joined on their dimensions, ratios and rounding outside). Field
/// names come only from resolved metadata paths; every value the viewer or the definition supplies is a parameter.
/// </summary>
public sealed partial class ReportSqlCompiler
{
    private readonly Dictionary<string, object?> parameters;
    private readonly Dictionary<string, List<string>> errors = new(StringComparer.Ordinal);
    private readonly AppDefinition app;
    private readonly ReportDefinition report;
    private readonly EntityDefinition root;
    private readonly ReportRequest request;
    private Func<string, object, string>? placeholder;
    private ReportProjectionShape? projection;
    private bool missed;
    private readonly bool sharesParameters;

    /// <summary>The ORDER BY of the last <see cref="Wrap"/> (over its output columns).</summary>
    private string wrappedOrder = "1";

    private ReportSqlCompiler(AppDefinition app, ReportDefinition report, ReportRequest request, Dictionary<string, object?>? shared = null)
    {
        parameters = shared ?? new(StringComparer.Ordinal);
        sharesParameters = shared is not null;
        this.app = app;
        this.report = report;
        this.request = request;
        root = ReportValidator.RootOf(app, report) ?? throw new InvalidOperationException($"Report '{report.Key}' has no source; validate it first.");
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,62}$")]
    private static partial Regex Key();

    /// <summary>Compiles the report data query; throws <see cref="ReportCompileException"/> for bad viewer input.</summary>
    public static CompiledReport Compile(AppDefinition app, ReportDefinition report, ReportRequest request) => Compile(app, report, request, null);

    /// <summary>
    /// Compiles the report data query over the source entity's report <paramref name="projection"/> when it keeps every value
    /// the report and the request touch (dimensions, measures, filters, parameters, viewer filters, row permissions), else
    /// over the records; the same answer either way.
    /// </summary>
    public static CompiledReport Compile(AppDefinition app, ReportDefinition report, ReportRequest request, ReportProjectionShape? projection)
    {
        if (projection is not null && report.Flow is null && projection.App == app.Key && projection.Entity == report.Entity)
        {
            var compiler = new ReportSqlCompiler(app, report, request) { projection = projection };
            var compiled = compiler.Build();
            if (!compiler.missed)
            {
                return compiled;
            }
        }

        return new ReportSqlCompiler(app, report, request).Build();
    }

    /// <summary>Compiles the ids query of one point (dimension key → value) and optionally one measure's rows.</summary>
    public static CompiledDrill CompileDrill(AppDefinition app, ReportDefinition report, ReportRequest request, IReadOnlyDictionary<string, string?> point, string? measure) =>
        new ReportSqlCompiler(app, report, request).BuildDrill(point, measure);

    /// <summary>
    /// The per-record contribution of a rolled-up report: <c>select day, grp, c0… from … where …</c>. For a trigger
    /// delta the row is the trigger function's variables <see cref="TriggerRowVariables"/> (<c>rollup_id</c>, <c>rollup_data</c>,
    /// …) and the definition's values are literals in the text (the function is static SQL); for a rebuild it is the records
    /// table with <c>@p</c> parameters. A trigger delta <paramref name="byId"/> reads the record's current version from the
    /// table instead (<c>s.id = rollup_id</c>).
    /// </summary>
    public static (string Inner, IReadOnlyDictionary<string, object?> Parameters) CompileRollupSource(AppDefinition app, ReportDefinition report, ReportRollupShape shape, bool delta, bool byId = false)
    {
        var compiler = new ReportSqlCompiler(app, report, ReportRequest.Empty(DateTimeOffset.UnixEpoch));
        if (delta)
        {
            compiler.placeholder = TriggerLiteral;
        }

        return (compiler.RollupSource(shape, delta && !byId, byId), compiler.parameters);
    }

    /// <summary>The plpgsql variables (name, type, the records column) a trigger delta reads the written row from.</summary>
    public static readonly IReadOnlyList<(string Name, string Type, string Column)> TriggerRowVariables =
    [
        ("rollup_id", "uuid", "id"),
        ("rollup_data", "jsonb", "data"),
        ("rollup_created_at", "timestamptz", "created_at"),
        ("rollup_updated_at", "timestamptz", "updated_at"),
        ("rollup_created_by", "text", "created_by"),
        ("rollup_updated_by", "text", "updated_by"),
    ];

    /// <summary>The report answered from its rollup rows; same columns, order and rounding as the raw query.</summary>
    public static CompiledReport CompileFromRollup(AppDefinition app, ReportDefinition report, ReportRollupShape shape, ReportRequest request) =>
        new ReportSqlCompiler(app, report, request).FromRollup(shape);

    private string RollupSource(ReportRollupShape shape, bool delta, bool byId = false)
    {
        var scope = new ReportSqlScope(app, root, null);
        // A record without a day (an empty date field) is kept on -infinity: the raw report counts it (a null bucket),
        // to_char gives null for it, and date ranges leave it out as the raw comparison with null does.
        var day = shape.Day.Kind == ReportValueKind.Date ? $"coalesce(({scope.Value(shape.Day)})::date, '-infinity')" : $"({scope.Value(shape.Day)} at time zone 'Asia/Shanghai')::date";
        var select = new List<string> { $"{day} as day", $"array[{string.Join(", ", shape.Groups.Select(g => scope.Dimension(g, null)))}]::text[] as grp" };
        for (var i = 0; i < shape.Components.Count; i++)
        {
            var component = shape.Components[i];
            var conditions = component.Where.Select(w => Condition(scope, Resolve(scope, w.Field), w.Op, w.Value, "rollup")).ToList();
            string value;
            if (component.Kind == "sum")
            {
                value = conditions.Count == 0 ? scope.Value(Resolve(scope, component.Field!)) : $"case when {string.Join(" and ", conditions)} then {scope.Value(Resolve(scope, component.Field!))} end";
            }
            else
            {
                if (component.Field is not null)
                {
                    conditions.Add($"{scope.Value(Resolve(scope, component.Field))} is not null");
                }

                value = conditions.Count == 0 ? "1" : $"case when {string.Join(" and ", conditions)} then 1 else 0 end";
            }

            select.Add($"({value})::numeric as c{i.ToString(CultureInfo.InvariantCulture)}");
        }

        var where = shape.WriteFilters.Select(f => Condition(scope, Resolve(scope, f.Field), f.Op, f.Value, "rollup")).ToList();
        ThrowIfErrors();
        var (from, sourceWhere) = scope.Source();
        if (delta)
        {
            from = $"(select {string.Join(", ", TriggerRowVariables.Select(v => $"{v.Name} as {v.Column}"))}) s";
        }
        else
        {
            where.Insert(0, sourceWhere);
            if (byId)
            {
                where.Add($"s.id = {TriggerRowVariables[0].Name}");
            }
        }

        return $"select {string.Join(", ", select)} from {from}{(where.Count == 0 ? string.Empty : " where " + string.Join(" and ", where))}";
    }

    private CompiledReport FromRollup(ReportRollupShape shape)
    {
        var select = new List<string>();
        foreach (var dimension in report.Dimensions)
        {
            var expression = dimension.Bucket is not null
                ? RollupBucket(dimension.Bucket)
                : $"r.grp[{(IndexOfGroup(shape, dimension.Field) + 1).ToString(CultureInfo.InvariantCulture)}]";
            select.Add($"{expression} as {Quote("d_" + dimension.Key)}");
        }

        string Sum(string component) => $"sum(r.value) filter (where r.measure = {Constant(component)})";
        foreach (var measure in report.Measures.Where(m => m.Kind != "ratio"))
        {
            select.Add(measure.Kind switch
            {
                "count" => $"coalesce({Sum(measure.Key)}, 0)::bigint",
                "sum" => $"case when {Sum(measure.Key + ".n")} > 0 then {Sum(measure.Key + ".sum")} end",
                _ => $"{Sum(measure.Key + ".sum")} / nullif({Sum(measure.Key + ".n")}, 0)",
            } + $" as {Quote("m_" + measure.Key)}");
        }

        var where = new List<string>();
        DateOnly? lower = null, upper = null;
        var noEmptyDays = false;
        foreach (var filter in report.Filters.Where(f => ReportPeriod.IsRelativeOp(f.Op) && f.Field == shape.Day.Text))
        {
            var (start, end) = ReportPeriod.Bounds(filter.Op, filter.Value!.GetValue<string>(), request.Now);
            lower = Later(lower, DateOnly.FromDateTime(start.Date));
            if (end is { } e)
            {
                // Bounded above like a range parameter's upper end: records without a date are out, as in the raw query.
                noEmptyDays = true;
                upper = Earlier(upper, DateOnly.FromDateTime(e.Date));
            }
        }

        foreach (var parameter in report.Parameters)
        {
            if (!request.Parameters.TryGetValue(parameter.Key, out var raw) || string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            if (parameter.Op == "range")
            {
                var ends = raw.Split("..", 2);
                foreach (var (end, isUpper) in new[] { (ends[0].Trim(), false), (ends.Length > 1 ? ends[1].Trim() : string.Empty, true) })
                {
                    if (end.Length == 0)
                    {
                        continue;
                    }

                    if (!DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        AddError(parameter.Key, $"'{end}' 不是 yyyy-MM-dd 日期 / {parameter.Key} needs a range like 2026-01-01..2026-06-30");
                        continue;
                    }

                    if (!isUpper)
                    {
                        lower = Later(lower, date);
                        continue;
                    }

                    // An upper end leaves out the records without a date (stored on day -infinity), as the raw query does.
                    noEmptyDays = true;
                    if (date != DateOnly.MaxValue)
                    {
                        upper = Earlier(upper, date.AddDays(1));
                    }
                }

                continue;
            }

            if (raw.Contains('\0', StringComparison.Ordinal))
            {
                AddError(parameter.Key, "值不能包含 NUL 字符 / value must not contain NUL");
                continue;
            }

            var values = raw.Split('|');
            var index = (IndexOfGroup(shape, parameter.Field) + 1).ToString(CultureInfo.InvariantCulture);
            where.Add(values.Length == 1 ? $"r.grp[{index}] = {Param(values[0])}" : $"r.grp[{index}] = any({Param(values)})");
        }

        ThrowIfErrors();
        var group = report.Dimensions.Count == 0 ? string.Empty : " group by " + string.Join(", ", Enumerable.Range(1, report.Dimensions.Count));
        // A group with no rows is gone; without dimensions the raw query answers one row even over no records.
        var having = report.Dimensions.Count == 0 ? string.Empty : $" having {Sum(ReportRollupShape.RowsComponent)} > 0";
        var conditions = where.Count == 0 ? string.Empty : " where " + string.Join(" and ", where);
        return Wrap($"select {string.Join(", ", select)} from ({RollupRows(lower, upper, noEmptyDays)}) r{conditions}{group}{having}");
    }

    private static DateOnly Later(DateOnly? a, DateOnly b) => a is { } x && x > b ? x : b;

    private static DateOnly Earlier(DateOnly? a, DateOnly b) => a is { } x && x < b ? x : b;

    /// <summary>
    /// The rollup rows of [lower, upper): whole months from the monthly rows, the partial months at either end from the daily
    /// rows; only daily rows when a dimension buckets by day or week (weeks straddle months) or the period is inside one month.
    /// </summary>
    private string RollupRows(DateOnly? lower, DateOnly? upper, bool noEmptyDays)
    {
        string Source(string table, string column, DateOnly? from, DateOnly? to, bool skipEmpty)
        {
            var conditions = new List<string> { $"app_key = {Constant(app.Key)}", $"report_key = {Constant(report.Key)}" };
            if (from is { } f)
            {
                conditions.Add($"{column} >= '{f.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'::date");
            }

            if (to is { } t)
            {
                conditions.Add($"{column} < '{t.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'::date");
            }

            if (skipEmpty)
            {
                conditions.Add($"{column} > '-infinity'");
            }

            return $"select {column} as day, grp, measure, value from {table} where {string.Join(" and ", conditions)}";
        }

        DateOnly? monthLower = lower is { } l ? (l.Day == 1 ? l : l.Year == DateOnly.MaxValue.Year && l.Month == 12 ? DateOnly.MaxValue : new DateOnly(l.Year, l.Month, 1).AddMonths(1)) : null;
        DateOnly? monthUpper = upper is { } u ? new DateOnly(u.Year, u.Month, 1) : null;
        var daysOnly = report.Dimensions.Any(d => d.Bucket is "day" or "week") || (monthLower is { } ml && monthUpper is { } mu && ml >= mu);
        if (daysOnly)
        {
            return Source("report_rollups", "day", lower, upper, noEmptyDays);
        }

        var parts = new List<string> { Source("report_rollup_months", "month", monthLower, monthUpper, noEmptyDays) };
        if (lower is { } start && monthLower is { } startOfMonths && start < startOfMonths)
        {
            parts.Add(Source("report_rollups", "day", start, startOfMonths, false));
        }

        if (upper is { } end && monthUpper is { } endOfMonths && endOfMonths < end)
        {
            parts.Add(Source("report_rollups", "day", endOfMonths, end, false));
        }

        return string.Join(" union all ", parts);
    }

    private static string RollupBucket(string bucket) => bucket switch
    {
        "day" => "to_char(r.day, 'YYYY-MM-DD')",
        "month" => "to_char(r.day, 'YYYY-MM')",
        "year" => "to_char(r.day, 'YYYY')",
        "quarter" => "to_char(r.day, 'YYYY-\"Q\"Q')",
        _ => "to_char(date_trunc('week', r.day), 'YYYY-MM-DD')",
    };

    private static int IndexOfGroup(ReportRollupShape shape, string field)
    {
        for (var i = 0; i < shape.Groups.Count; i++)
        {
            if (shape.Groups[i].Text == field)
            {
                return i;
            }
        }

        throw new InvalidOperationException($"'{field}' is not a rollup group.");
    }

    /// <summary>A definition's value as a SQL literal of its type, for the static text of a trigger function.</summary>
    private static string TriggerLiteral(string name, object value)
    {
        static string Text(object? item) => EntityTriggerSql.Text(item switch
        {
            DateTimeOffset at => at.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
            DateOnly day => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            bool b => b ? "true" : "false",
            _ => Convert.ToString(item, CultureInfo.InvariantCulture) ?? string.Empty,
        });
        static string Array(System.Collections.IEnumerable items, string type) => $"array[{string.Join(", ", items.Cast<object>().Select(Text))}]::{type}[]";
        return value switch
        {
            decimal => $"{Text(value)}::numeric",
            bool b => b ? "true" : "false",
            DateTimeOffset => $"{Text(value)}::timestamptz",
            DateOnly => $"{Text(value)}::date",
            decimal[] items => Array(items, "numeric"),
            bool[] items => Array(items, "boolean"),
            DateTimeOffset[] items => Array(items, "timestamptz"),
            string[] items => Array(items, "text"),
            _ => $"{Text(value)}::text",
        };
    }

    private CompiledReport Build()
    {
        var groups = report.Measures.Where(m => m.Kind != "ratio").GroupBy(m => m.Entity is null ? string.Empty : m.Key).ToList();
        var subqueries = new List<string>();
        foreach (var group in groups)
        {
            subqueries.Add(Subquery(group.Key.Length == 0 ? null : group.First(), group.ToList()));
        }

        ThrowIfErrors();
        var dims = report.Dimensions.Select(d => Quote("d_" + d.Key)).ToList();
        string combined;
        if (subqueries.Count == 1)
        {
            combined = subqueries[0];
        }
        else
        {
            // Sources meet on their dimension values: a union of each source's groups, then one row per combination
            // (a FULL JOIN on nullable dimensions is not hash-joinable in PostgreSQL).
            var measureColumns = groups.SelectMany(g => g.Select(m => Quote("m_" + m.Key))).ToList();
            var branches = new List<string>();
            for (var i = 0; i < subqueries.Count; i++)
            {
                var own = groups[i].Select(m => Quote("m_" + m.Key)).ToHashSet(StringComparer.Ordinal);
                var columns = dims.Select(d => $"q.{d}").Concat(measureColumns.Select(m => own.Contains(m) ? $"q.{m}" : $"null as {m}"));
                branches.Add($"select {string.Join(", ", columns)} from ({subqueries[i]}) q");
            }

            var grouping = dims.Count == 0 ? string.Empty : " group by " + string.Join(", ", dims.Select(d => $"u.{d}"));
            combined = $"select {string.Join(", ", dims.Select(d => $"u.{d}").Concat(measureColumns.Select(m => $"max(u.{m}) as {m}")))} from ({string.Join(" union all ", branches)}) u{grouping}";
        }

        return Wrap(combined);
    }

    /// <summary>Counts default to 0, ratios and averages are rounded, then the report's order and limit.</summary>
    private CompiledReport Wrap(string combined)
    {
        // A count missing from a group (another source's group in the full join) is 0 in the ratio too, as it is shown.
        string RatioOperand(string? key) =>
            report.Measures.FirstOrDefault(m => m.Key == key)?.Kind is "count" or "distinct" ? $"coalesce(c.{Quote("m_" + key)}, 0)" : $"c.{Quote("m_" + key)}";

        var dims = report.Dimensions.Select(d => Quote("d_" + d.Key)).ToList();
        var outer = new List<string>(dims.Select(d => $"c.{d}"));
        foreach (var measure in report.Measures)
        {
            var column = Quote("m_" + measure.Key);
            var scale = measure.Scale ?? 2;
            outer.Add(measure.Kind switch
            {
                "count" or "distinct" => $"coalesce(c.{column}, 0) as {column}",
                "ratio" => $"round(({RatioOperand(measure.Numerator)})::numeric / nullif(({RatioOperand(measure.Denominator)})::numeric, 0){(measure.Percent ? " * 100" : string.Empty)}, {scale}) as {column}",
                "min" or "max" when IsDateMeasure(measure) => $"c.{column}",
                _ => $"round((c.{column})::numeric, {scale}) as {column}",
            });
        }

        // Ties of the report's sort fall back to the dimensions, so the order (and what a limit keeps) is one answer.
        var order = string.Join(", ", report.Sort.Select(s => $"{Quote((report.Dimensions.Any(d => d.Key == s.By) ? "d_" : "m_") + s.By)} {(s.Descending ? "desc" : "asc")} nulls last")
            .Concat(dims.Select(d => $"{d} asc nulls last"))
            .DefaultIfEmpty("1"));
        var limit = Math.Clamp(report.Limit ?? ReportKinds.DefaultLimit, 1, ReportKinds.MaxLimit);
        var sql = $"select {string.Join(", ", outer)} from ({combined}) c order by {order} limit {limit.ToString(CultureInfo.InvariantCulture)}";
        wrappedOrder = order;
        return new CompiledReport(sql, parameters, Columns());
    }

    private CompiledDrill BuildDrill(IReadOnlyDictionary<string, string?> point, string? measureKey)
    {
        var measure = measureKey is null ? null : report.Measures.FirstOrDefault(m => m.Key == measureKey);
        if (measureKey is not null && measure is null)
        {
            AddError("measure", $"报表 '{report.Key}' 没有指标 '{measureKey}'");
            ThrowIfErrors();
        }

        if (measure?.Kind == "ratio")
        {
            measure = report.Measures.First(m => m.Key == measure.Numerator);
        }

        foreach (var key in point.Keys)
        {
            if (report.Dimensions.All(d => d.Key != key))
            {
                AddError("point." + key, $"报表 '{report.Key}' 没有维度 '{key}'");
            }
        }

        var foreign = measure?.Entity is not null ? measure : null;
        var entity = foreign is null ? root : app.FindEntity(foreign.Entity!)!;
        var scope = new ReportSqlScope(app, entity, foreign is null ? report.Flow : null);
        var where = new List<string>();
        AddSourceConditions(scope, foreign, where);
        if (measure is not null)
        {
            foreach (var filter in measure.Where)
            {
                where.Add(Condition(scope, Resolve(scope, filter.Field), filter.Op, filter.Value, "measure"));
            }

            // A record whose measured field is empty adds nothing to count(field), sum, avg, min, max or distinct.
            if (measure.Field is { } field && measure.Kind != "duration")
            {
                where.Add($"{scope.Value(Resolve(scope, field))} is not null");
            }
        }

        foreach (var dimension in report.Dimensions)
        {
            if (!point.TryGetValue(dimension.Key, out var value))
            {
                continue;
            }

            if (value?.Contains('\0', StringComparison.Ordinal) == true)
            {
                AddError("point." + dimension.Key, "值不能包含 NUL 字符 / value must not contain NUL");
                continue;
            }

            var path = DimensionPath(scope, dimension, foreign);
            var expr = scope.Dimension(path, dimension.Bucket);
            where.Add(value is null or "" ? $"{expr} is null" : $"{expr} = {Param(value)}");
        }

        ThrowIfErrors();
        var (from, sourceWhere) = scope.Source();
        where.Insert(0, sourceWhere);
        return new CompiledDrill(entity.Key, $"select s.id from {from} where {string.Join(" and ", where)}", parameters);
    }

    private string Subquery(ReportMeasure? foreign, IReadOnlyList<ReportMeasure> measures)
    {
        var entity = foreign is null ? root : app.FindEntity(foreign.Entity!)!;
        var scope = new ReportSqlScope(app, entity, foreign is null ? report.Flow : null, foreign is null ? projection : null);
        var select = new List<string>();
        var groupBy = new List<string>();
        foreach (var dimension in report.Dimensions)
        {
            var path = DimensionPath(scope, dimension, foreign);
            RefuseHidden(scope, path, "dimensions." + dimension.Key);
            select.Add($"{scope.Dimension(path, dimension.Bucket)} as {Quote("d_" + dimension.Key)}");
            groupBy.Add(scope.GroupKey(path, dimension.Bucket) ?? select.Count.ToString(CultureInfo.InvariantCulture));
        }

        foreach (var measure in measures)
        {
            foreach (var field in new[] { measure.Field, measure.From, measure.To }.OfType<string>())
            {
                RefuseHidden(scope, Resolve(scope, field), "measures." + measure.Key);
            }

            select.Add($"{Aggregate(scope, measure)} as {Quote("m_" + measure.Key)}");
        }

        var where = new List<string>();
        AddSourceConditions(scope, foreign, where);
        if (foreign is not null)
        {
            // A foreign measure's conditions are its source's only filter: rows outside them make no group at all.
            where.AddRange(foreign.Where.Select(w => Condition(scope, Resolve(scope, w.Field), w.Op, w.Value, "measures")));
        }

        var (from, sourceWhere) = scope.Source();
        missed |= scope.Missed;
        where.Insert(0, sourceWhere);
        var group = groupBy.Count == 0 ? string.Empty : " group by " + string.Join(", ", groupBy);
        return $"select {string.Join(", ", select)} from {from} where {string.Join(" and ", where)}{group}";
    }

    private void AddSourceConditions(ReportSqlScope scope, ReportMeasure? foreign, List<string> where)
    {
        if (request.Rows?.Invoke(scope.Root, Param) is { } rows)
        {
            where.Add(rows);
        }

        if (foreign is null)
        {
            foreach (var filter in report.Filters)
            {
                where.Add(Condition(scope, Resolve(scope, filter.Field), filter.Op, filter.Value, "filters"));
            }
        }

        foreach (var parameter in report.Parameters)
        {
            if (!request.Parameters.TryGetValue(parameter.Key, out var raw) || string.IsNullOrWhiteSpace(raw))
            {
                continue;
            }

            var field = parameter.Field;
            if (foreign is not null)
            {
                // The parameter's own entry in the map, else the dimension it shares a field with (createdAt → the mapped
                // purchased_at), else the same path if it exists there.
                var dimension = report.Dimensions.FirstOrDefault(d => d.Field == parameter.Field);
                if (foreign.Map!.TryGetValue(parameter.Key, out var own))
                {
                    field = own;
                }
                else if (dimension is not null && foreign.Map!.TryGetValue(dimension.Key, out var mapped))
                {
                    field = mapped;
                }
                else if (ReportPaths.Resolve(app, scope.Root, field, false, out _) is null)
                {
                    continue;
                }
            }

            var path = Resolve(scope, field);
            if (request.Visible?.Invoke(scope.Root, path) == false)
            {
                AddError(parameter.Key, $"你无权按此参数筛选 / you may not filter by '{parameter.Key}'");
                continue;
            }

            var condition = ParameterCondition(scope, path, parameter, raw);
            if (condition is not null)
            {
                where.Add(condition);
            }
        }

        foreach (var raw in request.Filters)
        {
            var parts = raw.Split(':', 3);
            if (parts.Length != 3)
            {
                AddError("filter", $"'{raw}' 须为 字段:运算符:值 / must be field:op:value");
                continue;
            }

            if (foreign is not null && ReportPaths.Resolve(app, scope.Root, parts[0], false, out _) is null)
            {
                continue;
            }

            var path = ReportPaths.Resolve(app, scope.Root, parts[0], scope.Visits, out var error);

            // A field hidden from the viewer answers like an unknown one: counts per guessed value would reveal it.
            if (path is not null && request.Visible?.Invoke(scope.Root, path) == false)
            {
                AddError("filter", $"未知字段 '{parts[0]}' / unknown field");
                continue;
            }

            if (path is null)
            {
                AddError("filter", $"未知字段 '{parts[0]}'：{error} / unknown field");
                continue;
            }

            if (!ReportKinds.FilterOps.Contains(parts[1]) || ReportPeriod.IsRelativeOp(parts[1]) && !path.IsDateLike)
            {
                AddError("filter", $"未知的运算符 '{parts[1]}' / unknown operator in '{raw}'");
                continue;
            }

            JsonNode? value = parts[1] == "in" ? new JsonArray(parts[2].Split('|').Select(v => TypedNode(path, v)).ToArray()) : TypedNode(path, parts[2]);
            if (ReportValidator.CheckValue(path, parts[1], value) is { } problem)
            {
                AddError("filter", $"{raw}: {problem}");
                continue;
            }

            where.Add(Condition(scope, path, parts[1], value, "filter"));
        }
    }

    private ReportPath DimensionPath(ReportSqlScope scope, ReportDimension dimension, ReportMeasure? foreign) =>
        Resolve(scope, foreign is null ? dimension.Field : foreign.Map![dimension.Key]);

    /// <summary>A report that groups by or measures a field hidden from the viewer is not answered for them (its values would show).</summary>
    private void RefuseHidden(ReportSqlScope scope, ReportPath path, string key)
    {
        if (request.Visible?.Invoke(scope.Root, path) == false)
        {
            AddError(key, $"此报表使用了你无权查看的字段 '{path.Field?.Key ?? key}' / this report uses a field hidden from you");
        }
    }

    private ReportPath Resolve(ReportSqlScope scope, string field) =>
        ReportPaths.Resolve(app, scope.Root, field, scope.Visits, out var error)
        ?? throw new InvalidOperationException($"Report '{report.Key}' path '{field}' does not resolve ({error}); validate it first.");

    private string Aggregate(ReportSqlScope scope, ReportMeasure measure)
    {
        var filter = measure.Where.Count == 0 || measure.Entity is not null
            ? string.Empty
            : $" filter (where {string.Join(" and ", measure.Where.Select(w => Condition(scope, Resolve(scope, w.Field), w.Op, w.Value, "measures")))})";
        switch (measure.Kind)
        {
            case "count":
                return (measure.Field is null ? "count(*)" : $"count({scope.Value(Resolve(scope, measure.Field))})") + filter;
            case "distinct":
                return $"count(distinct {scope.Value(Resolve(scope, measure.Field!))})" + filter;
            case "duration":
                {
                    var seconds = $"extract(epoch from ({scope.Moment(Resolve(scope, measure.To!))} - {scope.Moment(Resolve(scope, measure.From!))}))";
                    var divisor = (measure.Unit ?? "hours") switch
                    {
                        "minutes" => "60.0",
                        "days" => "86400.0",
                        _ => "3600.0",
                    };
                    return $"{measure.Aggregate ?? "avg"}({seconds} / {divisor})" + filter;
                }

            default:
                return $"{measure.Kind}({scope.Value(Resolve(scope, measure.Field!))})" + filter;
        }
    }

    private string? ParameterCondition(ReportSqlScope scope, ReportPath path, ReportParameter parameter, string raw)
    {
        var name = parameter.Key;
        if (parameter.Op == "range")
        {
            var ends = raw.Split("..", 2);
            var from = ends[0].Trim();
            var to = ends.Length > 1 ? ends[1].Trim() : string.Empty;
            var conditions = new List<string>();
            if (path.Kind == ReportValueKind.Number)
            {
                foreach (var (end, op) in new[] { (from, ">="), (to, "<=") })
                {
                    if (end.Length == 0)
                    {
                        continue;
                    }

                    if (!decimal.TryParse(end, NumberStyles.Number, CultureInfo.InvariantCulture, out var number))
                    {
                        AddError(name, $"'{end}' 不是数字 / {name} needs numbers like 10..100");
                        return null;
                    }

                    conditions.Add($"{scope.Value(path)} {op} {Param(number)}");
                }
            }
            else
            {
                foreach (var (end, op, shift) in new[] { (from, ">=", 0), (to, "<", 1) })
                {
                    if (end.Length == 0)
                    {
                        continue;
                    }

                    if (!DateOnly.TryParseExact(end, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
                    {
                        AddError(name, $"'{end}' 不是 yyyy-MM-dd 日期 / {name} needs a range like 2026-01-01..2026-06-30");
                        return null;
                    }

                    if (shift == 1 && date == DateOnly.MaxValue)
                    {
                        // Every date is before the day after 9999-12-31 (which DateOnly cannot hold).
                        conditions.Add($"{scope.Value(path)} is not null");
                        continue;
                    }

                    var day = date.AddDays(shift);
                    conditions.Add(path.Kind == ReportValueKind.Date
                        ? $"{scope.Value(path)} {op} {Param(day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))}"
                        : $"{scope.Value(path)} {op} {Param(day == DateOnly.MinValue ? DateTimeOffset.MinValue : new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), Core.Forms.ChinaTime.Offset).ToUniversalTime())}");
                }
            }

            return conditions.Count == 0 ? null : string.Join(" and ", conditions);
        }

        if (parameter.Op == "contains")
        {
            return Condition(scope, path, "contains", JsonValue.Create(raw), name);
        }

        var values = raw.Split('|');
        var nodes = values.Select(v => TypedNode(path, v)).ToArray();
        var equality = values.Length == 1 ? "eq" : "in";
        JsonNode? node = values.Length == 1 ? nodes[0] : new JsonArray(nodes);
        if (ReportValidator.CheckValue(path, equality, node) is { } problem)
        {
            AddError(name, problem);
            return null;
        }

        return Condition(scope, path, equality, node, name);
    }

    private static JsonNode? TypedNode(ReportPath path, string text) => path.Kind switch
    {
        ReportValueKind.Number when decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        ReportValueKind.Boolean when bool.TryParse(text, out var b) => JsonValue.Create(b),
        _ => JsonValue.Create(text),
    };

    /// <summary>One condition; the value was checked by <see cref="ReportValidator.CheckValue"/> (definitions at publish, viewer input here).</summary>
    private string Condition(ReportSqlScope scope, ReportPath path, string op, JsonNode? value, string errorKey)
    {
        if (ReportValidator.CheckValue(path, op, value) is { } problem)
        {
            AddError(errorKey, problem);
            return "false";
        }

        var expr = scope.Value(path);
        switch (op)
        {
            case "empty":
                return Empty(path, expr);
            case "notEmpty":
                return $"not ({Empty(path, expr)})";
            case "within" or "previous":
                {
                    var (start, end) = ReportPeriod.Bounds(op, value!.GetValue<string>(), request.Now);
                    string Bound(DateTimeOffset at) => path.Kind == ReportValueKind.Date
                        ? Param(at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture))
                        : Param(at.ToUniversalTime());
                    return end is { } e ? $"{expr} >= {Bound(start)} and {expr} < {Bound(e)}" : $"{expr} >= {Bound(start)}";
                }

            case "in":
                {
                    var items = value!.AsArray();
                    if (path.Kind == ReportValueKind.List)
                    {
                        return $"{expr} ?| {Param(items.Select(i => Text(i)).ToArray())}";
                    }

                    object array = path.Kind switch
                    {
                        ReportValueKind.Number => items.Select(Number).ToArray(),
                        ReportValueKind.Boolean => items.Select(i => i!.GetValue<bool>()).ToArray(),
                        ReportValueKind.Instant => items.Select(Instant).ToArray(),
                        _ => items.Select(i => Text(i)).ToArray(),
                    };
                    return $"{expr} = any({Param(array)})";
                }

            case "contains":
                return path.Kind == ReportValueKind.List
                    ? $"coalesce({expr} ? {Param(Text(value))}, false)"
                    : $"{expr} ilike {Param("%" + EscapeLike(Text(value)) + "%")}";
        }

        if (path.Kind == ReportValueKind.List)
        {
            var has = $"coalesce({expr} ? {Param(Text(value))}, false)";
            return op == "ne" ? $"not {has}" : has;
        }

        object scalar = path.Kind switch
        {
            ReportValueKind.Number => Number(value),
            ReportValueKind.Boolean => value!.GetValue<bool>(),
            ReportValueKind.Instant => Instant(value),
            _ => Text(value),
        };
        var p = Param(scalar);
        return op switch
        {
            "eq" => $"{expr} = {p}",
            "ne" => $"{expr} is distinct from {p}",
            "gt" => $"{expr} > {p}",
            "ge" => $"{expr} >= {p}",
            "lt" => $"{expr} < {p}",
            _ => $"{expr} <= {p}",
        };
    }

    private static string Empty(ReportPath path, string expr) => path.Kind switch
    {
        ReportValueKind.Text or ReportValueKind.Date => $"coalesce({expr}, '') = ''",
        ReportValueKind.List => $"coalesce(jsonb_array_length(case when jsonb_typeof({expr}) = 'array' then {expr} end), 0) = 0",
        _ => $"{expr} is null",
    };

    private static string Text(JsonNode? node) => node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node?.ToJsonString() ?? string.Empty;

    private static decimal Number(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.Number ? v.GetValue<decimal>() : decimal.Parse(Text(node), NumberStyles.Number, CultureInfo.InvariantCulture);

    private static DateTimeOffset Instant(JsonNode? node) =>
        DateTimeOffset.Parse(Text(node), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUniversalTime();

    private static string EscapeLike(string s) => s.Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_");

    private bool IsDateMeasure(ReportMeasure measure)
    {
        var entity = measure.Entity is null ? root : app.FindEntity(measure.Entity)!;
        return ReportPaths.Resolve(app, entity, measure.Field, measure.Entity is null && report.Flow is not null, out _)?.IsDateLike == true;
    }

    private IReadOnlyList<ReportColumn> Columns()
    {
        var columns = new List<ReportColumn>();
        foreach (var dimension in report.Dimensions)
        {
            var path = ReportPaths.Resolve(app, root, dimension.Field, report.Flow is not null, out _)!;
            columns.Add(new ReportColumn(dimension.Key, dimension.Label ?? path.Field?.Label ?? dimension.Key, "dimension", path.IsDateLike ? "date" : path.Kind == ReportValueKind.Number ? "number" : "text"));
        }

        foreach (var measure in report.Measures)
        {
            columns.Add(new ReportColumn(measure.Key, measure.Label ?? measure.Key, "measure", IsDateMeasure(measure) && measure.Kind is "min" or "max" ? "date" : "number"));
        }

        return columns;
    }

    /// <summary>
    /// A name the rollup query's shape is made of (app and report key, component such as <c>amount.sum</c>) as a literal, so a
    /// rollup query without viewer parameters has none at all: its prepared statement is planned once and reused. With them as
    /// parameters PostgreSQL re-plans it on every execution while the custom plan looks cheaper than the generic one (the small
    /// rollups: ~0.3 ms of planning against 0.5–2 ms of execution). Anything else than a plain name stays a parameter.
    /// </summary>
    private string Constant(string name) =>
        name.Length is > 0 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.') ? "'" + name + "'" : Param(name);

    private string Param(object value)
    {
        if (sharesParameters && placeholder is null)
        {
            // Reports compiled into one statement name an equal value alike, so their equal conditions read alike.
            foreach (var (existing, known) in parameters)
            {
                if (SameValue(known, value))
                {
                    return "@" + existing;
                }
            }
        }

        var name = "p" + parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameters[name] = value;
        return placeholder?.Invoke(name, value) ?? "@" + name;
    }

    private static bool SameValue(object? a, object b) => a switch
    {
        System.Collections.IEnumerable items when a is not string && b is System.Collections.IEnumerable others and not string && a.GetType() == b.GetType() =>
            items.Cast<object?>().SequenceEqual(others.Cast<object?>()),
        _ => a is not null && a.GetType() == b.GetType() && a.Equals(b),
    };

    private static string Quote(string identifier) =>
        Key().IsMatch(identifier) ? "\"" + identifier + "\"" : throw new ArgumentException($"'{identifier}' is not a metadata key.", nameof(identifier));

    private void AddError(string key, string message)
    {
        if (!errors.TryGetValue(key, out var list))
        {
            errors[key] = list = [];
        }

        list.Add(message);
    }

    private void ThrowIfErrors()
    {
        if (errors.Count > 0)
        {
            throw new ReportCompileException(errors.ToDictionary(e => e.Key, e => (IReadOnlyList<string>)e.Value));
        }
    }
}
