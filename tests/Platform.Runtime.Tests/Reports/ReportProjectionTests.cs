using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Core.Reports;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Hosting;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Templates;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// The report projection is what its trigger and its backfill make of the records — after inserts, updates, deletes,
/// concurrent writers and a rebuild for a new shape — and reports read from it answer what they answer from the records.
/// </summary>
[Collection("postgres")]
public sealed class ReportProjectionTests(PostgresFixture postgres)
{
    private const string Package = """
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "proj_app", "name": "投影" },
          "entities": [{
            "key": "ticket", "label": "工单", "version": 1,
            "fields": [
              { "key": "region", "type": "select", "label": "区域", "indexed": true, "options": [{ "value": "east", "label": "华东" }, { "value": "west", "label": "西部" }] },
              { "key": "status", "type": "select", "label": "状态", "options": [{ "value": "new", "label": "新建" }, { "value": "closed", "label": "关闭" }] },
              { "key": "amount", "type": "money", "label": "费用" },
              { "key": "breached", "type": "boolean", "label": "超时" },
              { "key": "resolved_at", "type": "datetime", "label": "解决时间" },
              { "key": "engineer", "type": "user", "label": "工程师" },
              { "key": "note", "type": "text", "label": "备注" }
            ],
            "form": { "sections": [{ "key": "basic", "title": "工单", "fields": ["region", "status", "amount", "breached", "resolved_at", "engineer", "note"] }] }
          }],
          "reports": [{
            "key": "by_region", "name": "按区域", "entity": "ticket",
            "dimensions": [{ "key": "region", "field": "region" }, { "key": "month", "field": "createdAt", "bucket": "month" }],
            "measures": [
              { "key": "tickets", "kind": "count" },
              { "key": "amount", "kind": "sum", "field": "amount" },
              { "key": "avg_amount", "kind": "avg", "field": "amount" },
              { "key": "breached", "kind": "count", "where": [{ "field": "breached", "op": "eq", "value": true }] },
              { "key": "rate", "kind": "ratio", "numerator": "breached", "denominator": "tickets", "percent": true },
              { "key": "last_resolved", "kind": "max", "field": "resolved_at" }
            ],
            "filters": [{ "field": "status", "op": "ne", "value": "cancelled" }],
            "parameters": [{ "key": "status", "field": "status", "op": "eq" }]
          }]
        }
        """;

    [Fact]
    public async Task Backfill_Inserts_Updates_Deletes_KeepTheProjectionEqualToTheRecords()
    {
        await using var dataSource = await DatabaseAsync();
        var app = Load();
        await InsertAsync(dataSource, """{"region": "east", "status": "new", "amount": 12.50, "breached": true, "engineer": "li"}""");
        await InsertAsync(dataSource, """{"region": "west", "amount": "7", "breached": "yes", "resolved_at": "2026-03-01T08:00:00Z"}""");
        var projections = new ReportProjections(dataSource, NullLogger<ReportProjections>.Instance);
        await projections.SyncAsync(app, CancellationToken.None);
        var shape = (await projections.ReadyAsync(app, "ticket", CancellationToken.None))!;
        Assert.NotNull(shape);
        await AssertEqualAsync(dataSource, shape, expectedRows: 2);

        var id = await InsertAsync(dataSource, """{"region": "east", "amount": "not a number", "breached": 1, "note": "x"}""");
        var gone = await InsertAsync(dataSource, """{"region": "west", "amount": 3}""");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "update records set data = data || '{\"amount\": 99.9, \"status\": \"closed\", \"engineer\": \"wang\"}'::jsonb, updated_by = 'u2', owner_department = 'd1', version = version + 1 where id = @id",
                new { id });
            await connection.ExecuteAsync("delete from records where id = @gone", new { gone });
        }

        await AssertEqualAsync(dataSource, shape, expectedRows: 3);
        var row = await (await dataSource.OpenConnectionAsync()).QuerySingleAsync(
            $"select f_amount, f_status, data->>'engineer' as engineer, owner_department from {shape.Table} where id = @id", new { id });
        Assert.Equal(99.9m, (decimal)row.f_amount);
        Assert.Equal("closed", (string)row.f_status);
        Assert.Equal("wang", (string)row.engineer);
        Assert.Equal("d1", (string)row.owner_department);
    }

    [Fact]
    public async Task ConcurrentWriters_LeaveTheProjectionEqualToTheRecords()
    {
        await using var dataSource = await DatabaseAsync();
        var app = Load();
        var projections = new ReportProjections(dataSource, NullLogger<ReportProjections>.Instance);
        await projections.SyncAsync(app, CancellationToken.None);
        var shape = (await projections.ReadyAsync(app, "ticket", CancellationToken.None))!;
        var ids = new List<Guid>();
        for (var i = 0; i < 20; i++)
        {
            ids.Add(await InsertAsync(dataSource, $$"""{"region": "east", "amount": {{i}}}"""));
        }

        // Four writers update, delete and insert the same records in their own transactions, in different orders.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var round = 0; round < 40; round++)
            {
                await using var connection = await dataSource.OpenConnectionAsync();
                await using var tx = await connection.BeginTransactionAsync();
                var target = ids[random.Next(ids.Count)];
                switch (random.Next(3))
                {
                    case 0:
                        await connection.ExecuteAsync(
                            "update records set data = jsonb_set(data, '{amount}', to_jsonb(@amount::numeric)) || jsonb_build_object('region', @region::text), version = version + 1 where id = @target",
                            new { amount = random.Next(1000) / 10m, region = random.Next(2) == 0 ? "east" : "west", target },
                            tx);
                        break;
                    case 1:
                        await connection.ExecuteAsync("delete from records where id = @target", new { target }, tx);
                        break;
                    default:
                        await connection.ExecuteAsync(
                            "insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) values (@id, 'proj_app', 'ticket', jsonb_build_object('amount', @amount::numeric, 'breached', true), 1, 1, now(), 'w', now(), 'w')",
                            new { id = Guid.NewGuid(), amount = random.Next(100) },
                            tx);
                        break;
                }

                if (random.Next(5) == 0)
                {
                    await tx.RollbackAsync();
                }
                else
                {
                    await tx.CommitAsync();
                }
            }
        })).ToList();
        await Task.WhenAll(writers);
        await AssertEqualAsync(dataSource, shape, expectedRows: null);
    }

    [Fact]
    public async Task Reports_FromTheProjection_AnswerWhatTheRecordsAnswer_AndFallBackForValuesItDoesNotKeep()
    {
        await using var dataSource = await DatabaseAsync();
        var app = Load();
        var report = app.FindReport("by_region")!;
        var random = new Random(7);
        for (var i = 0; i < 200; i++)
        {
            var data = new JsonObject
            {
                ["region"] = random.Next(3) switch { 0 => "east", 1 => "west", _ => null },
                ["status"] = random.Next(3) == 0 ? "closed" : "new",
                ["amount"] = random.Next(4) == 0 ? null : random.Next(10_000) / 100m,
                ["breached"] = random.Next(2) == 0,
                ["resolved_at"] = random.Next(2) == 0 ? null : DateTimeOffset.UtcNow.AddHours(-random.Next(5000)).ToString("O"),
                ["engineer"] = random.Next(2) == 0 ? "li" : "wang",
            };
            await InsertAsync(dataSource, data.ToJsonString(), createdAt: DateTimeOffset.UtcNow.AddDays(-random.Next(400)), createdBy: random.Next(2) == 0 ? "li" : "zhao");
        }

        var projections = new ReportProjections(dataSource, NullLogger<ReportProjections>.Instance);
        await projections.SyncAsync(app, CancellationToken.None);
        var shape = (await projections.ReadyAsync(app, "ticket", CancellationToken.None))!;
        var now = DateTimeOffset.UtcNow;
        var requests = new[]
        {
            ReportRequest.Empty(now),
            new ReportRequest(new Dictionary<string, string> { ["status"] = "closed" }, ["amount:gt:20", "region:in:east|west"], now),
            ReportRequest.Empty(now) with { Rows = (_, param) => $"(s.created_by = {param("li")} or s.data ->> 'engineer' = {param("li")})" },
        };
        foreach (var request in requests)
        {
            var projected = ReportSqlCompiler.Compile(app, report, request, shape);
            Assert.Contains(shape.Table, projected.Sql, StringComparison.Ordinal);
            Assert.DoesNotContain("data->>", projected.Sql, StringComparison.Ordinal);
            var records = ReportSqlCompiler.Compile(app, report, request);
            Assert.Equal(await RowsAsync(dataSource, records), await RowsAsync(dataSource, projected));
        }

        // A viewer filter on a field the projection does not keep: the records answer.
        var fallback = ReportSqlCompiler.Compile(app, report, new ReportRequest(new Dictionary<string, string>(), ["note:eq:x"], now), shape);
        Assert.DoesNotContain(shape.Table, fallback.Sql, StringComparison.Ordinal);
        Assert.Contains("from records s", fallback.Sql, StringComparison.Ordinal);

        // Through the service (no rollup on this report): the same rows as the records' query.
        var service = new ReportService(dataSource, new ReportRollups(dataSource, NullLogger<ReportRollups>.Instance), projections, TimeProvider.System);
        var answered = await service.RunAsync(app, report, ReportRequest.Empty(now), CancellationToken.None);
        Assert.Equal((await RowsAsync(dataSource, ReportSqlCompiler.Compile(app, report, ReportRequest.Empty(now)))).Count, answered.Rows.Count);
    }

    [Fact]
    public async Task DashboardAsync_AnswersWidgetsOfOneEntityFromOneScanOfTheProjection_AsEachWouldBeAnsweredFromTheRecords()
    {
        await using var dataSource = await DatabaseAsync();
        var random = new Random(11);
        for (var i = 0; i < 300; i++)
        {
            var data = new JsonObject
            {
                ["region"] = random.Next(3) switch { 0 => "east", 1 => "west", _ => null },
                ["status"] = random.Next(4) switch { 0 => "closed", 1 => "cancelled", _ => "new" },
                ["amount"] = random.Next(4) == 0 ? null : random.Next(10_000) / 100m,
                ["breached"] = random.Next(3) switch { 0 => true, 1 => false, _ => null },
                ["engineer"] = random.Next(2) == 0 ? "li" : "wang",
            };
            await InsertAsync(dataSource, data.ToJsonString(), createdAt: DateTimeOffset.UtcNow.AddDays(-random.Next(500)), createdBy: random.Next(2) == 0 ? "li" : "zhao");
        }

        var baseReport = Load().FindReport("by_region")!;
        var reports = new[]
        {
            baseReport with { Key = "by_month", Measures = baseReport.Measures.Where(m => m.Kind != "max").ToList() },
            baseReport with
            {
                Key = "by_quarter", Filters = [new() { Field = "createdAt", Op = "within", Value = JsonValue.Create("12m") }],
                Dimensions = [new() { Key = "quarter", Field = "createdAt", Bucket = "quarter" }, new() { Key = "breached", Field = "breached" }],
                Measures = [new() { Key = "n", Kind = "count", Field = "amount" }, new() { Key = "low", Kind = "min", Field = "amount" }, new() { Key = "high", Kind = "max", Field = "amount" }],
            },
            baseReport with
            {
                Key = "by_status", Filters = [], Dimensions = [new() { Key = "status", Field = "status" }],
                Measures = [new() { Key = "tickets", Kind = "count" }, new() { Key = "east", Kind = "sum", Field = "amount", Where = [new() { Field = "region", Op = "in", Value = new JsonArray("east") }] }],
                Sort = [new() { By = "tickets", Descending = true }], Limit = 2,
            },
            baseReport with { Key = "total", Filters = [], Parameters = [], Dimensions = [], Measures = [new() { Key = "tickets", Kind = "count" }, new() { Key = "avg", Kind = "avg", Field = "amount" }] },
        };
        var app = Load() with { Reports = reports };
        var dashboard = new Core.Reports.Definitions.DashboardDefinition
        {
            Key = "overview", Name = "总览", Widgets = reports.Select(r => new Core.Reports.Definitions.DashboardWidget { Key = "w_" + r.Key, Report = r.Key }).ToList(),
        };
        var projections = new ReportProjections(dataSource, NullLogger<ReportProjections>.Instance);
        await projections.SyncAsync(app, CancellationToken.None);
        var shape = (await projections.ReadyAsync(app, "ticket", CancellationToken.None))!;
        var service = new ReportService(dataSource, new ReportRollups(dataSource, NullLogger<ReportRollups>.Instance), projections, TimeProvider.System);

        foreach (var (filters, rows) in new (Dictionary<string, string>, Func<EntityDefinition, Func<object, string>, string?>?)[]
        {
            ([], null),
            (new() { ["status"] = "new" }, (_, param) => $"(s.created_by = {param("li")} or s.data ->> 'engineer' = {param("li")})"),
        })
        {
            var now = DateTimeOffset.UtcNow;
            var requests = reports.Select(r => (r, new ReportRequest(filters.Where(f => r.Parameters.Any(p => p.Key == f.Key)).ToDictionary(), [], now) { Rows = rows })).ToList();
            var combined = ReportSqlCompiler.CompileCombined(app, requests, shape);
            Assert.NotNull(combined);
            Assert.Single(System.Text.RegularExpressions.Regex.Matches(combined.Sql, $"from \"{shape.Table}\""));

            var data = await service.DashboardAsync(app, dashboard, filters, CancellationToken.None, rows);
            foreach (var (widget, (report, request)) in data.Widgets.Zip(requests))
            {
                Assert.Null(widget.Error);
                var expected = (await RowsAsync(dataSource, ReportSqlCompiler.Compile(app, report, request)))
                    .Select(r => r.Replace("d_", string.Empty, StringComparison.Ordinal).Replace("m_", string.Empty, StringComparison.Ordinal)).ToList();
                var actual = widget.Data!.Rows.Select(r => string.Join("|", report.Dimensions.Select(d => d.Key).Concat(report.Measures.Select(m => m.Key))
                    .Select(k => $"{k}={(r[k] is decimal d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(r[k], System.Globalization.CultureInfo.InvariantCulture))}"))).ToList();
                Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
                Assert.NotEmpty(actual);
            }
        }

        // A report that cannot be combined (a day bucket would make the grain as fine as the rows): each is compiled alone.
        var daily = reports[0] with { Key = "daily", Dimensions = [new() { Key = "day", Field = "createdAt", Bucket = "day" }] };
        Assert.Null(ReportSqlCompiler.CompileCombined(app with { Reports = [.. reports, daily] }, [(reports[0], ReportRequest.Empty(DateTimeOffset.UtcNow)), (daily, ReportRequest.Empty(DateTimeOffset.UtcNow))], shape));
    }

    [Fact]
    public async Task DashboardAsync_OverTheReportLab_AnswersEveryWidgetAsItsOwnQueryOverTheRecordsDoes()
    {
        await using var dataSource = await DatabaseAsync();
        var lab = PackageMapper.ToDefinition(PackageReader.Read(ReportLab.Package("proj_app"), out _)!) with { Version = 1 };
        var app = lab with { Reports = lab.Reports.Where(r => r.Flow is null && r.Entity == "ticket").Select(r => r with { Rollup = false }).ToList() };
        var ticket = app.FindEntity("ticket")!;
        string? Option(string field, Random random)
        {
            var options = ticket.Fields.First(f => f.Key == field).Options!;
            var pick = random.Next(options.Count + 1);
            return pick == options.Count ? null : options[pick].Value;
        }

        var random = new Random(23);
        for (var i = 0; i < 400; i++)
        {
            var data = new JsonObject
            {
                ["name"] = "t" + random.Next(5).ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["status"] = Option("status", random),
                ["region"] = Option("region", random),
                ["channel"] = Option("channel", random),
                ["amount"] = random.Next(5) == 0 ? null : random.Next(100_000) / 100m,
                ["score"] = random.Next(4) == 0 ? null : random.Next(1, 6),
                ["opened_on"] = random.Next(6) == 0 ? null : DateTime.UtcNow.AddDays(-random.Next(700)).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                ["urgent"] = random.Next(3) switch { 0 => true, 1 => false, _ => null },
            };
            await InsertAsync(dataSource, data.ToJsonString(), createdAt: DateTimeOffset.UtcNow.AddDays(-random.Next(800)), createdBy: random.Next(2) == 0 ? "li" : "zhao");
        }

        var dashboard = new Core.Reports.Definitions.DashboardDefinition
        {
            Key = "all", Name = "全部", Widgets = app.Reports.Select(r => new Core.Reports.Definitions.DashboardWidget { Key = "w_" + r.Key, Report = r.Key }).ToList(),
        };
        var projections = new ReportProjections(dataSource, NullLogger<ReportProjections>.Instance);
        await projections.SyncAsync(app, CancellationToken.None);
        var shape = (await projections.ReadyAsync(app, "ticket", CancellationToken.None))!;
        var service = new ReportService(dataSource, new ReportRollups(dataSource, NullLogger<ReportRollups>.Instance), projections, TimeProvider.System);
        var region = ticket.Fields.First(f => f.Key == "region").Options![0].Value;
        foreach (var filters in new Dictionary<string, string>[] { [], new() { ["region"] = region }, new() { ["period"] = $"{DateTime.UtcNow.AddDays(-400):yyyy-MM-dd}..{DateTime.UtcNow.AddDays(-30):yyyy-MM-dd}", ["region"] = region } })
        {
            var now = DateTimeOffset.UtcNow;
            var requests = app.Reports.Select(r => (r, new ReportRequest(filters.Where(f => r.Parameters.Any(p => p.Key == f.Key)).ToDictionary(), [], now))).ToList();
            var combined = ReportSqlCompiler.CompileCombined(app, requests, shape);
            Assert.NotNull(combined);
            Assert.True(combined.Included.Count >= 4, $"only {combined.Included.Count} of {requests.Count} lab reports were combined");
            Assert.True(combined.Included.Count < requests.Count, "a reference path, a day bucket and a creator dimension are answered alone");
            Assert.DoesNotContain(region, combined.Sql, StringComparison.Ordinal);

            var data = await service.DashboardAsync(app, dashboard, filters, CancellationToken.None);
            foreach (var (widget, (report, request)) in data.Widgets.Zip(requests))
            {
                Assert.Null(widget.Error);
                var expected = (await RowsAsync(dataSource, ReportSqlCompiler.Compile(app, report, request)))
                    .Select(r => string.Join("|", r.Split('|').Select(p => p[2..]))).ToList();
                var actual = widget.Data!.Rows.Select(r => string.Join("|", report.Dimensions.Select(d => d.Key).Concat(report.Measures.Select(m => m.Key))
                    .Select(k => $"{k}={(r[k] is decimal d ? d.ToString(System.Globalization.CultureInfo.InvariantCulture) : Convert.ToString(r[k], System.Globalization.CultureInfo.InvariantCulture))}"))).ToList();
                Assert.Equal(string.Join("\n", expected), string.Join("\n", actual));
            }
        }
    }

    [Fact]
    public async Task ANewShape_RebuildsIntoANewTable_AndAnEntityNoReportReadsLosesItsProjection()
    {
        await using var dataSource = await DatabaseAsync();
        var app = Load();
        await InsertAsync(dataSource, """{"region": "east", "note": "n1"}""");
        var projections = new ReportProjections(dataSource, NullLogger<ReportProjections>.Instance);
        await projections.SyncAsync(app, CancellationToken.None);
        var first = (await projections.ReadyAsync(app, "ticket", CancellationToken.None))!;
        Assert.Null(first.ColumnOf("note"));

        var report = app.FindReport("by_region")!;
        var changed = app with { Reports = [report with { Filters = [.. report.Filters, new Core.Reports.Definitions.ReportFilter { Field = "note", Op = "notEmpty" }] }] };
        Assert.Null(await projections.ReadyAsync(changed, "ticket", CancellationToken.None));
        await projections.SyncAsync(changed, CancellationToken.None);
        var second = (await projections.ReadyAsync(changed, "ticket", CancellationToken.None))!;
        Assert.NotEqual(first.Table, second.Table);
        Assert.NotNull(second.ColumnOf("note"));
        await AssertEqualAsync(dataSource, second, expectedRows: 1);
        Assert.False(await TableExistsAsync(dataSource, first.Table));

        await projections.SyncAsync(app with { Reports = [] }, CancellationToken.None);
        Assert.False(await TableExistsAsync(dataSource, second.Table));
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal(0, await connection.ExecuteScalarAsync<int>("select count(*) from pg_trigger where tgname like 'report_facts_%'"));

        // Writes go on without the projection.
        await InsertAsync(dataSource, """{"region": "west"}""");
    }

    /// <summary>Every projection row is what <see cref="ReportProjectionSql.Values"/> makes of its record, and no row is missing or extra.</summary>
    private static async Task AssertEqualAsync(NpgsqlDataSource dataSource, ReportProjectionShape shape, int? expectedRows)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var expected = $"select {ReportProjectionSql.Values(shape, "r")} from records r where r.app_key = 'proj_app' and r.entity_key = 'ticket'";
        var table = $"select * from {shape.Table}";
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"select count(*) from (({expected}) except all ({table})) x"));
        Assert.Equal(0, await connection.ExecuteScalarAsync<long>($"select count(*) from (({table}) except all ({expected})) x"));
        var count = await connection.ExecuteScalarAsync<long>($"select count(*) from {shape.Table}");
        Assert.Equal(await connection.ExecuteScalarAsync<long>("select count(*) from records where app_key = 'proj_app'"), count);
        if (expectedRows is { } rows)
        {
            Assert.Equal(rows, count);
        }
    }

    private static async Task<bool> TableExistsAsync(NpgsqlDataSource dataSource, string table)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<bool>("select to_regclass(@table) is not null", new { table });
    }

    private async Task<NpgsqlDataSource> DatabaseAsync()
    {
        var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
        return dataSource;
    }

    private static async Task<Guid> InsertAsync(NpgsqlDataSource dataSource, string data, DateTimeOffset? createdAt = null, string createdBy = "t")
    {
        var id = Guid.NewGuid();
        await using var connection = await dataSource.OpenConnectionAsync();
        await connection.ExecuteAsync(
            "insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) values (@id, 'proj_app', 'ticket', @data::jsonb, 1, 1, @at, @by, @at, @by)",
            new { id, data, at = createdAt ?? DateTimeOffset.UtcNow, by = createdBy });
        return id;
    }

    private static async Task<List<string>> RowsAsync(NpgsqlDataSource dataSource, CompiledReport compiled)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        return (await connection.QueryAsync(new CommandDefinition(compiled.Sql, new DynamicParameters(compiled.Parameters))))
            .Cast<IDictionary<string, object?>>()
            .Select(r => string.Join("|", r.Select(kv => $"{kv.Key}={Convert.ToString(kv.Value, System.Globalization.CultureInfo.InvariantCulture)}")))
            .ToList();
    }

    private static AppDefinition Load() =>
        PackageMapper.ToDefinition(PackageReader.Read(JsonNode.Parse(Package), out _)!) with { Version = 1 };
}
