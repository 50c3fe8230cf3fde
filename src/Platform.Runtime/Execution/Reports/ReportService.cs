using System.Diagnostics;
using System.Text.Json;
using Dapper;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Core.Reports.Definitions;
using Platform.Runtime.Hosting;
using Platform.Runtime.Persistence;

namespace Platform.Runtime.Execution.Reports;

/// <summary>
/// Runs reports: compiles them (<see cref="ReportSqlCompiler"/>), reads rollups when the report keeps them and
/// the viewer asks nothing they cannot answer, runs the SQL with Dapper, and turns rows into labelled rows and
/// chart series. Otherwise it reads the source entity's report projection when that keeps every value the report
/// touches, else the records. Also answers drill-downs (the records behind a point) and whole dashboards in one call.
/// </summary>
public sealed class ReportService(NpgsqlDataSource dataSource, ReportRollups rollups, ReportProjections projections, TimeProvider time, PlatformSettings? settings = null)
{
    /// <summary>
    /// Widget queries of one dashboard at once when <c>Platform:Reports:DashboardParallelism</c> is not set: 4, or one per
    /// processor of this machine when it has more. A raw widget is a CPU-bound scan of the same report projection (already with
    /// two parallel workers each), yet running several at once costs less CPU per dashboard, not more: PostgreSQL's synchronized
    /// scans let concurrent scans of a table larger than a quarter of shared_buffers share the pages one of them reads (1M-ticket
    /// bench, held cluster, 2 cores: cluster CPU per dashboard 3.0 s one widget at a time, 2.7 s two, 2.5 s four; four
    /// concurrent copies of one widget's query 2.55 s with synchronized scans, 3.16 s without, 3.18 s one after another).
    /// More than 4 on 2 cores only takes a larger share of a machine shared with other work and holds more pooled connections.
    /// </summary>
    public static int DefaultDashboardParallelism => Math.Max(4, Environment.ProcessorCount);

    /// <summary>At most this many widget queries of one dashboard run at once (<see cref="ReportSettings.DashboardParallelism"/>).</summary>
    public int DashboardParallelism { get; } = settings?.Reports.DashboardParallelism is int n and > 0 ? n : DefaultDashboardParallelism;

    /// <summary>Computes a report; throws <see cref="ReportCompileException"/> for bad viewer input.</summary>
    public async Task<ReportData> RunAsync(AppDefinition app, ReportDefinition report, ReportRequest request, CancellationToken ct, string? chart = null)
    {
        var watch = Stopwatch.StartNew();
        var compiled = await FromRollupAsync(app, report, request, ct) ? ReportRollups.CompileQuery(app, report, request) : null;
        var source = compiled is null ? "records" : "rollup";
        var projection = compiled is null && report.Flow is null && report.Entity is not null ? await projections.ReadyAsync(app, report.Entity, ct) : null;
        compiled ??= ReportSqlCompiler.Compile(app, report, request, projection);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        List<IDictionary<string, object?>> raw;
        try
        {
            raw = await QueryAsync(connection, compiled, ct);
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable && projection is not null)
        {
            // The projection was rebuilt for a newer definition since it was found ready: this once, the records answer.
            projections.Forget(app.Key, report.Entity!);
            compiled = ReportSqlCompiler.Compile(app, report, request);
            raw = await QueryAsync(connection, compiled, ct);
        }

        var rows = await ShapeAsync(connection, app, report, raw, request.HiddenLabels, ct);
        return new ReportData(report.Key, report.Name, chart ?? report.Chart.Kind, compiled.Columns, rows, Series(report, chart ?? report.Chart.Kind, rows), source, watch.Elapsed.TotalMilliseconds);
    }

    private static Task<List<IDictionary<string, object?>>> QueryAsync(NpgsqlConnection connection, CompiledReport compiled, CancellationToken ct) =>
        QueryAsync(connection, compiled.Sql, compiled.Parameters, ct);

    /// <summary>
    /// work_mem of a combined dashboard statement (<see cref="ReportSqlCompiler.CompileCombined"/>), for its transaction only: its
    /// grain holds a dozen aggregate states per group (numeric sums are ~100 bytes each), and at the server's default (4MB) the
    /// grain of the 1M-ticket bench (11k groups, 13 parts) spilled to disk in every worker (5 batches, +25 % CPU).
    /// </summary>
    public const string CombinedWorkMem = "64MB";

    /// <summary>
    /// Runs a compiled report query (<c>@name</c> parameters) with PostgreSQL's JIT off, as the rows by column name. A raw
    /// widget reads every row of its source, so its plan's cost is always above <c>jit_above_cost</c>, and the JIT compiles
    /// its expressions anew in the leader and in each parallel worker on every execution (plans are cached, the machine code
    /// is not): 50–100 ms of CPU per widget on a 1M-row projection, more than it saves on expressions as simple as a report's
    /// (−11 % for the nine-widget dashboard in the bench with JIT off). The setting is local to the transaction of the
    /// batch (one round trip), so the pooled connection keeps the server's setting for everything else.
    /// </summary>
    public static async Task<List<IDictionary<string, object?>>> QueryAsync(
        NpgsqlConnection connection, string sql, IReadOnlyDictionary<string, object?> parameters, CancellationToken ct, bool combined = false)
    {
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(new NpgsqlBatchCommand(combined ? $"select set_config('jit', 'off', true), set_config('work_mem', '{CombinedWorkMem}', true)" : "select set_config('jit', 'off', true)"));
        var query = new NpgsqlBatchCommand(sql);
        foreach (var (name, value) in parameters)
        {
            query.Parameters.Add(new NpgsqlParameter(name, value ?? DBNull.Value));
        }

        batch.BatchCommands.Add(query);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.NextResultAsync(ct);
        var names = Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToArray();
        var rows = new List<IDictionary<string, object?>>();
        while (await reader.ReadAsync(ct))
        {
            var row = new Dictionary<string, object?>(names.Length, StringComparer.Ordinal);
            for (var i = 0; i < names.Length; i++)
            {
                row[names[i]] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>The records one point stands for, newest first, paged like the records list.</summary>
    public async Task<(string Entity, RecordPage Page)> DrillAsync(
        AppDefinition app, ReportDefinition report, ReportRequest request, IReadOnlyDictionary<string, string?> point, string? measure, int page, int pageSize, CancellationToken ct)
    {
        var drill = ReportSqlCompiler.CompileDrill(app, report, request, point, measure);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(
            $"select {RecordStore.Columns}, count(*) over () from records where id in ({drill.IdsSql}) order by created_at desc, id desc limit {pageSize} offset {(page - 1) * pageSize}",
            connection);
        foreach (var (name, value) in drill.Parameters)
        {
            cmd.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        var items = new List<StoredRecord>();
        long total = 0;
        await using (var reader = await cmd.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                items.Add(RecordStore.Read(reader));
                total = reader.GetInt64(10);
            }
        }

        if (items.Count == 0 && page > 1)
        {
            total = await connection.ExecuteScalarAsync<long>(new CommandDefinition($"select count(*) from ({drill.IdsSql}) x", new DynamicParameters(drill.Parameters), cancellationToken: ct));
        }

        return (drill.Entity, new RecordPage(items, total));
    }

    /// <summary>
    /// Every widget of a dashboard under the same filters, several at once; a widget that fails carries its error. The
    /// viewer's <paramref name="rows"/> and <paramref name="hiddenLabels"/> as in <see cref="ReportRequest"/>.
    /// </summary>
    public async Task<DashboardData> DashboardAsync(
        AppDefinition app, DashboardDefinition dashboard, IReadOnlyDictionary<string, string> filters, CancellationToken ct,
        Func<EntityDefinition, Func<object, string>, string?>? rows = null, Func<string, string, bool>? hiddenLabels = null)
    {
        var watch = Stopwatch.StartNew();
        var now = time.GetUtcNow();
        using var gate = new SemaphoreSlim(DashboardParallelism);
        var widgets = dashboard.Widgets.Select(widget =>
        {
            var report = app.FindReport(widget.Report)!;
            var parameters = filters.Where(f => report.Parameters.Any(p => p.Key == f.Key)).ToDictionary(f => f.Key, f => f.Value);
            return (Widget: widget, Report: report, Chart: widget.Chart ?? report.Chart.Kind, Request: new ReportRequest(parameters, [], now) { Rows = rows, HiddenLabels = hiddenLabels });
        }).ToList();
        var answers = new DashboardWidgetData?[widgets.Count];
        DashboardWidgetData Answer(int i, ReportData? data, string? error)
        {
            var (widget, report, chart, _) = widgets[i];
            return new DashboardWidgetData(widget.Key, widget.Report, widget.Title ?? report.Name, chart, widget.X, widget.Y, widget.W, widget.H, data, error);
        }

        // The widgets one entity's projection answers (not from rollups) are aggregated from one scan of it together.
        // Widgets that read rollups (or a flow), checked at once (each a cached lookup, a query every 5 s), as the widgets alone would.
        var elsewhere = await Task.WhenAll(widgets.Select(w => w.Report.Flow is null && w.Report.Entity is not null ? FromRollupAsync(app, w.Report, w.Request, ct) : Task.FromResult(true)));
        var projected = new List<(int Index, ReportProjectionShape Shape)>();
        for (var i = 0; i < widgets.Count; i++)
        {
            if (!elsewhere[i] && await projections.ReadyAsync(app, widgets[i].Report.Entity!, ct) is { } shape)
            {
                projected.Add((i, shape));
            }
        }

        var statements = projected.GroupBy(p => p.Shape.Entity)
            .Select(group => (Entity: group.Key, Indexes: group.Select(g => g.Index).ToList(), Shape: group.First().Shape))
            .Select(g => (g.Entity, Compiled: ReportSqlCompiler.CompileCombined(app, g.Indexes.Select(i => (widgets[i].Report, widgets[i].Request)).ToList(), g.Shape), g.Indexes))
            .Where(g => g.Compiled is not null)
            .Select(g => (g.Entity, Compiled: g.Compiled!, Indexes: g.Compiled!.Included.Select(k => g.Indexes[k]).ToList()))
            .ToList();
        var together = statements.SelectMany(s => s.Indexes).ToHashSet();

        async Task Alone(int i)
        {
            var (_, report, chart, request) = widgets[i];
            await gate.WaitAsync(ct);
            try
            {
                answers[i] = Answer(i, await RunAsync(app, report, request, ct, chart), null);
            }
            catch (ReportCompileException e)
            {
                answers[i] = Answer(i, null, e.Message);
            }
            finally
            {
                gate.Release();
            }
        }

        async Task Together(string entity, CombinedReports compiled, List<int> indexes)
        {
            await gate.WaitAsync(ct);
            try
            {
                var started = Stopwatch.StartNew();
                await using var connection = await dataSource.OpenConnectionAsync(ct);
                IDictionary<string, object?> row;
                try
                {
                    row = (await QueryAsync(connection, compiled.Sql, compiled.Parameters, ct, combined: true)).Single();
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
                {
                    // Rebuilt since it was found ready: these widgets are answered alone (from the records).
                    projections.Forget(app.Key, entity);
                    return;
                }

                for (var k = 0; k < indexes.Count; k++)
                {
                    var (_, report, chart, request) = widgets[indexes[k]];
                    var raw = JsonRows((string)row["w" + k.ToString(System.Globalization.CultureInfo.InvariantCulture)]!);
                    var shaped = await ShapeAsync(connection, app, report, raw, request.HiddenLabels, ct);
                    answers[indexes[k]] = Answer(
                        indexes[k], new ReportData(report.Key, report.Name, chart, compiled.Columns[k], shaped, Series(report, chart, shaped), "records", started.Elapsed.TotalMilliseconds), null);
                }
            }
            finally
            {
                gate.Release();
            }
        }

        // The one-scan statements first (each holds one slot), the widgets they do not answer beside them.
        await Task.WhenAll(statements.Select(s => Together(s.Entity, s.Compiled, s.Indexes))
            .Concat(Enumerable.Range(0, widgets.Count).Where(i => !together.Contains(i)).Select(Alone)).ToList());
        await Task.WhenAll(Enumerable.Range(0, widgets.Count).Where(i => answers[i] is null).Select(Alone).ToList());
        return new DashboardData(dashboard.Key, dashboard.Name, dashboard.Filters, answers.Select(a => a!).ToList(), watch.Elapsed.TotalMilliseconds);
    }

    /// <summary>Whether <see cref="RunAsync"/> answers the report from its rollup rows.</summary>
    private async Task<bool> FromRollupAsync(AppDefinition app, ReportDefinition report, ReportRequest request, CancellationToken ct) =>
        request.Filters.Count == 0 && request.Rows is null && request.Visible is null && await rollups.IsReadyAsync(app, report, ct);

    /// <summary>The rows of one report of a combined statement (a JSON array of objects) as Dapper would give them.</summary>
    private static List<IDictionary<string, object?>> JsonRows(string json)
    {
        using var document = JsonDocument.Parse(json);
        var rows = new List<IDictionary<string, object?>>();
        foreach (var element in document.RootElement.EnumerateArray())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var property in element.EnumerateObject())
            {
                row[property.Name] = property.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.Number when property.Value.TryGetInt64(out var whole) && !property.Value.GetRawText().Contains('.', StringComparison.Ordinal) => whole,
                    JsonValueKind.Number when property.Value.TryGetDecimal(out var number) => number,
                    JsonValueKind.Number => property.Value.GetDouble(),
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => property.Value.GetString(),
                };
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task<List<Dictionary<string, object?>>> ShapeAsync(
        NpgsqlConnection connection, AppDefinition app, ReportDefinition report, List<IDictionary<string, object?>> raw, Func<string, string, bool>? hiddenLabels, CancellationToken ct)
    {
        var root = ReportValidator.RootOf(app, report)!;
        var labels = new Dictionary<string, Func<string?, string?>>(StringComparer.Ordinal);
        foreach (var dimension in report.Dimensions)
        {
            var path = ReportPaths.Resolve(app, root, dimension.Field, report.Flow is not null, out _)!;
            var values = raw.Select(r => r["d_" + dimension.Key]?.ToString()).Where(v => v is not null).Distinct().ToArray();
            labels[dimension.Key] = await LabellerAsync(connection, app, report, path, values!, hiddenLabels, ct);
        }

        var rows = new List<Dictionary<string, object?>>(raw.Count);
        foreach (var r in raw)
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            foreach (var dimension in report.Dimensions)
            {
                var value = r["d_" + dimension.Key]?.ToString();
                row[dimension.Key] = value;
                row[dimension.Key + "Label"] = labels[dimension.Key](value);
            }

            foreach (var measure in report.Measures)
            {
                row[measure.Key] = r["m_" + measure.Key] switch
                {
                    long l => l,
                    int i => i,
                    decimal d => d,
                    double f => f,
                    DateTime t => t.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                    var other => other?.ToString(),
                };
            }

            rows.Add(row);
        }

        return rows;
    }

    private static async Task<Func<string?, string?>> LabellerAsync(
        NpgsqlConnection connection, AppDefinition app, ReportDefinition report, ReportPath path, string[] values, Func<string, string, bool>? hiddenLabels, CancellationToken ct)
    {
        const string Empty = "（空）";
        if (path.OfVisit && path.System == "step")
        {
            var steps = app.FindFlow(report.Flow!)!.Steps.ToDictionary(s => s.Key, s => s.Name ?? s.Key);
            return v => v is null ? Empty : steps.GetValueOrDefault(v, v);
        }

        if (path.Field?.Options is { Count: > 0 } options)
        {
            var map = options.ToDictionary(o => o.Value, o => o.Label);
            return v => v is null ? Empty : map.GetValueOrDefault(v, v);
        }

        if (path.Kind == ReportValueKind.Boolean)
        {
            return v => v switch { "true" => "是", "false" => "否", _ => Empty };
        }

        if (path.IsUser && values.Length > 0)
        {
            var names = (await connection.QueryAsync<(string, string)>(new CommandDefinition(
                "select user_name, display_name from users where user_name = any(@names)", new { names = values }, cancellationToken: ct))).ToDictionary(x => x.Item1, x => x.Item2);
            return v => v is null ? Empty : names.GetValueOrDefault(v, v);
        }

        if (path.References is { } target && values.Length > 0)
        {
            var display = path.Field!.Reference?.DisplayField ?? target.Fields.FirstOrDefault(f => f.Type == "text")?.Key ?? target.Fields[0].Key;
            if (hiddenLabels?.Invoke(target.Key, display) == true)
            {
                return v => v is null ? Empty : Exports.ExportLookups.Withheld;
            }

            var ids = values.Select(v => Guid.TryParse(v, out var g) ? g : Guid.Empty).Where(g => g != Guid.Empty).ToArray();
            var found = (await connection.QueryAsync<(Guid, string?)>(new CommandDefinition(
                $"select id, data->>{SqlIdentifiers.Literal(display)} from records where id = any(@ids)", new { ids }, cancellationToken: ct))).ToDictionary(x => x.Item1.ToString(), x => x.Item2);
            return v => v is null ? Empty : found.GetValueOrDefault(v) ?? v;
        }

        return v => v ?? Empty;
    }

    private static List<ReportSeries> Series(ReportDefinition report, string chart, List<Dictionary<string, object?>> rows)
    {
        var series = new List<ReportSeries>();
        var dims = report.Dimensions;
        if (dims.Count == 2 && chart is "stacked-bar" or "line" or "bar" or "pivot")
        {
            var measure = report.Measures[0];
            var first = dims[0].Key;
            var second = dims[1].Key;
            var categories = rows.Select(r => (string?)r[first]).Distinct().ToList();
            foreach (var group in rows.GroupBy(r => (string?)r[second]))
            {
                var byCategory = group.ToDictionary(r => (string?)r[first] ?? string.Empty);
                var data = categories.Select(c =>
                {
                    byCategory.TryGetValue(c ?? string.Empty, out var row);
                    return new ReportPoint(c, (string?)(row?[first + "Label"]) ?? c, row?[measure.Key], new Dictionary<string, string?> { [first] = c, [second] = group.Key });
                }).ToList();
                var name = (string?)group.First()[second + "Label"] ?? group.Key ?? "（空）";
                series.Add(new ReportSeries(group.Key ?? string.Empty, name, measure.Key, chart == "stacked-bar" ? measure.Key : null, data));
            }

            return series;
        }

        foreach (var measure in report.Measures)
        {
            var data = rows.Select(r =>
            {
                var point = dims.ToDictionary(d => d.Key, d => (string?)r[d.Key]);
                var x = dims.Count == 0 ? null : (string?)r[dims[0].Key];
                var label = dims.Count == 0 ? measure.Label ?? measure.Key : (string?)r[dims[0].Key + "Label"];
                return new ReportPoint(x, label, r[measure.Key], point);
            }).ToList();
            series.Add(new ReportSeries(measure.Key, measure.Label ?? measure.Key, measure.Key, null, data));
        }

        return series;
    }
}
