using System.Text.Json.Nodes;
using Dapper;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Platform.Core.Metadata;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Hosting;
using Platform.Runtime.Persistence;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Templates;

namespace Platform.Runtime.Tests.Reports;

/// <summary>Two faults the 1M-record reports benchmark (bench/Platform.Bench -- reports) ran into.</summary>
[Collection("postgres")]
public sealed class BenchFindingsTests(PostgresFixture postgres)
{
    private const string Package = """
        {
          "format": "platform-app", "formatVersion": 1,
          "app": { "key": "finding_app", "name": "发现" },
          "entities": [{
            "key": "ticket", "label": "工单", "version": 1,
            "fields": [
              { "key": "region", "type": "select", "label": "区域", "indexed": true, "options": [{ "value": "east", "label": "华东" }, { "value": "west", "label": "西部" }] },
              { "key": "status", "type": "select", "label": "状态", "indexed": true, "options": [{ "value": "new", "label": "新建" }, { "value": "closed", "label": "关闭" }] },
              { "key": "amount", "type": "money", "label": "费用", "indexed": true },
              { "key": "breached", "type": "boolean", "label": "超时", "indexed": true }
            ],
            "form": { "sections": [{ "key": "basic", "title": "工单", "fields": ["region", "status", "amount", "breached"] }] }
          }],
          "reports": [{
            "key": "breach_rate", "name": "超时率", "entity": "ticket",
            "dimensions": [{ "key": "month", "field": "createdAt", "bucket": "month" }],
            "measures": [
              { "key": "breached", "kind": "count", "where": [{ "field": "breached", "op": "eq", "value": true }] },
              { "key": "tickets", "kind": "count" },
              { "key": "rate", "kind": "ratio", "numerator": "breached", "denominator": "tickets", "percent": true }
            ],
            "rollup": true
          }]
        }
        """;

    [Fact]
    public async Task RatioFromRollup_IsZeroLikeTheRecords_WhenTheTriggerAddedOnlyRowsTheNumeratorSkips()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
        var app = Load();
        var report = app.FindReport("breach_rate")!;
        await new ReportRollups(dataSource, NullLogger<ReportRollups>.Instance).SyncAsync(app, CancellationToken.None);

        // Written after the rebuild: the trigger's delta skips the zero "breached" component, so the month has no row for it.
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await connection.ExecuteAsync(
                "insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) values (@id, 'finding_app', 'ticket', '{\"breached\": false}'::jsonb, 1, 1, now(), 't', now(), 't')",
                new { id = Guid.NewGuid() });
        }

        var request = ReportRequest.Empty(DateTimeOffset.UtcNow);
        var fromRecords = await RowAsync(dataSource, ReportSqlCompiler.Compile(app, report, request));
        var fromRollup = await RowAsync(dataSource, ReportRollups.CompileQuery(app, report, request)!);
        Assert.Equal(0m, Convert.ToDecimal(fromRecords["m_rate"]));
        Assert.Equal(fromRecords["m_breached"]?.ToString(), fromRollup["m_breached"]?.ToString());
        Assert.Equal(fromRecords["m_rate"]?.ToString(), fromRollup["m_rate"]?.ToString());
    }

    [Fact]
    public async Task IndexBuildsOfTwoAppsAtOnce_AllEndValid()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await PlatformMigrator.MigrateAsync(dataSource, CancellationToken.None);
        var first = Load();
        var second = first with { Key = "finding_two" };
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            // Some rows, so each CREATE INDEX CONCURRENTLY runs long enough to meet the other app's build.
            await connection.ExecuteAsync("""
                insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by)
                select gen_random_uuid(), a, 'ticket', jsonb_build_object('region', 'east', 'status', 'new', 'amount', i, 'breached', i % 2 = 0), 1, 1, now(), 't', now(), 't'
                from generate_series(1, 20000) i, unnest(array['finding_app', 'finding_two']) a
                """);
        }

        // The template's build at start-up and an import's build, as the runtime starts them: in the background, at once.
        var indexes = new FieldIndexManager(dataSource, NullLogger<FieldIndexManager>.Instance);
        await Task.WhenAll(Task.Run(() => indexes.EnsureIndexesAsync(first, CancellationToken.None)), Task.Run(() => indexes.EnsureIndexesAsync(second, CancellationToken.None)));

        var expected = new[] { first, second }.SelectMany(a => a.Entities[0].Fields.Select(f => SqlIdentifiers.IndexName("ix", a.Key, "ticket", f.Key))).ToArray();
        await using var check = await dataSource.OpenConnectionAsync();
        var valid = await check.ExecuteScalarAsync<long>(
            "select count(*) from pg_class c join pg_index i on i.indexrelid = c.oid join field_indexes f on f.name = c.relname where c.relname = any(@expected) and i.indisvalid", new { expected });
        Assert.Equal(expected.Length, valid);
    }

    private static AppDefinition Load() =>
        PackageMapper.ToDefinition(PackageReader.Read(JsonNode.Parse(Package), out _)!) with { Version = 1 };

    private static async Task<IDictionary<string, object?>> RowAsync(NpgsqlDataSource dataSource, CompiledReport compiled)
    {
        await using var connection = await dataSource.OpenConnectionAsync();
        var rows = (await connection.QueryAsync(new CommandDefinition(compiled.Sql, new DynamicParameters(compiled.Parameters)))).Cast<IDictionary<string, object?>>().ToList();
        return Assert.Single(rows);
    }
}
