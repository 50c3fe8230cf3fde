using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Platform.Runtime.Execution;
using Platform.Runtime.Execution.Reports;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Reports;

/// <summary>
/// Rolled-up reports answer exactly what the records answer: the lab's eight rollup shapes (count with where, sum, avg,
/// ratio, eq parameters on selects and a reference, range parameters on createdAt and on a date field, a within filter,
/// buckets of a date field and of createdAt, boolean and number groups, createdBy, no dimension) and the template's three,
/// after random concurrent creates, updates and deletes through the API, created_at moved in SQL, a definition change
/// and a rolled-back transaction. The raw answer is the same request with a <c>filter=</c> that every row meets (the
/// service answers from the records whenever the viewer filters).
/// </summary>
[Collection("platform")]
public sealed class ReportRollupTests(PlatformFixture platform) : IAsyncLifetime
{
    private const string Lab = "rollup_lab";
    private const string AllRows = "filter=id:notEmpty:x";

    private static readonly string[] Users = ["admin", "cs01", "cs02", "sup01"];

    private static string Today => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string DaysAgo(int days) => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task InitializeAsync() => await ReportLab.EnsureAsync(platform, Lab);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Rollups_AnswerLikeTheRecords_AfterRandomConcurrentWrites()
    {
        var owners = await IdsAsync(Lab, "owner");
        var tickets = new ConcurrentBag<Guid>(await IdsAsync(Lab, "ticket"));
        await AssertLabRollupsEqualRawAsync(owners);

        var random = new Random(20261201);
        var seeds = Enumerable.Range(0, Users.Length).Select(_ => random.Next()).ToArray();
        var failed = new ConcurrentBag<string>();
        var deadlocksBefore = await DeadlocksAsync();
        var writers = Users.Select((user, i) => WriteRandomlyAsync(user, new Random(seeds[i]), 30, tickets, owners, failed)).ToList();
        writers.Add(MoveCreatedAtAsync(new Random(seeds[0] + 1), 25, failed));
        await Task.WhenAll(writers);

        // No write failed: the trigger's deltas take the rollup rows' locks in one order, so concurrent writers wait, never deadlock.
        Assert.True(failed.IsEmpty, $"{failed.Count} writes failed ({await DeadlocksAsync() - deadlocksBefore} deadlocks logged):\n" + string.Join("\n", failed));
        await AssertLabRollupsEqualRawAsync(owners);
        await AssertMonthsSumTheDaysAsync();
    }

    [Fact]
    public async Task Sync_KeepsTheRollupsOfAnEntityByOneStaticTriggerFunction_AndNoSharedDynamicTrigger()
    {
        var name = ReportRollups.TriggerName(Lab, "ticket");
        Assert.Equal(2, await platform.CountAsync("select count(*) from pg_trigger where tgrelid = 'records'::regclass and tgname = any($1)", (object)new[] { name + "_w", name + "_d" }));
        Assert.Equal(0, await platform.CountAsync("select count(*) from pg_trigger where tgrelid = 'records'::regclass and tgname = 'records_report_rollup'"));

        // The deltas are static statements (plans cached per session), one per rolled-up report of the entity: no EXECUTE of a text.
        var body = await platform.ScalarAsync<string>($"select prosrc from pg_proc where proname = '{name}_sync'");
        Assert.DoesNotContain("execute", body, StringComparison.OrdinalIgnoreCase);
        var reports = await platform.CountAsync("select count(*) from report_rollup_defs where app_key = $1 and entity_key = 'ticket'", Lab);
        Assert.True(reports > 1);
        Assert.Equal(2 * reports, System.Text.RegularExpressions.Regex.Matches(body, "insert into report_rollup_months").Count);
    }

    [Fact]
    public async Task Update_IsWrittenOnce_WhenItLosesADeadlockOnTheRollupRows()
    {
        var owners = await IdsAsync(Lab, "owner");
        using var client = await platform.ClientForAsync("admin");
        var created = await ApiAssert.JsonAsync(
            await client.PostAsJsonAsync($"/api/apps/{Lab}/entities/ticket/records", new JsonObject { ["data"] = new JsonObject { ["name"] = "deadlock", ["status"] = "open", ["region"] = "east", ["amount"] = 10 } }),
            HttpStatusCode.Created);
        var id = Guid.Parse(created["id"]!.GetValue<string>());

        // Another writer holds the lab's rollup rows, the PATCH takes the record's row and waits for them, then the other writer
        // wants the record's row: a deadlock. The PATCH waited first, so PostgreSQL fails the PATCH's transaction.
        await using var other = new NpgsqlConnection(platform.ConnectionString);
        await other.OpenAsync();
        await using var tx = await other.BeginTransactionAsync();
        await using (var slow = new NpgsqlCommand("set local deadlock_timeout = '20s'", other, tx))
        {
            await slow.ExecuteNonQueryAsync();
        }

        await using (var hold = new NpgsqlCommand("select count(*) from (select 1 from report_rollup_months where app_key = $1 for update) m", other, tx))
        {
            hold.Parameters.Add(new NpgsqlParameter { Value = Lab });
            await hold.ExecuteNonQueryAsync();
        }

        var patch = PatchAsync(client, Lab, "ticket", id, new JsonObject { ["amount"] = 20, ["region"] = "south" });
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (await platform.CountAsync("select count(*) from pg_stat_activity where wait_event_type = 'Lock' and query like '%update records set data%'") == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the PATCH never waited for the rollup rows");
            await Task.Delay(20);
        }

        var deadlocksBefore = await DeadlocksAsync();
        await using (var take = new NpgsqlCommand("update records set updated_at = updated_at where id = $1", other, tx))
        {
            take.Parameters.Add(new NpgsqlParameter { Value = id });
            await take.ExecuteNonQueryAsync();
        }

        await tx.CommitAsync();

        // Lost once, written again: 200 (PatchAsync asserts it), one new version, and the rollups still answer like the records.
        await patch;
        Assert.True(await DeadlocksAsync() > deadlocksBefore);
        var stored = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/{Lab}/entities/ticket/records/{id}"), HttpStatusCode.OK);
        Assert.Equal(2, stored["version"]!.GetValue<int>());
        Assert.Equal("south", stored["data"]!["region"]!.GetValue<string>());
        Assert.Equal(1, await platform.CountAsync("select count(*) from record_audit where record_id = $1 and action = 'update'", id));
        await AssertLabRollupsEqualRawAsync(owners);
    }

    /// <summary>Every monthly rollup row is the sum of its month's daily rows, and no month row lacks its days (the trigger keeps both).</summary>
    private async Task AssertMonthsSumTheDaysAsync()
    {
        Assert.True(await platform.CountAsync("select count(*) from report_rollup_months where app_key = $1", Lab) > 0);
        Assert.Equal(0, await platform.CountAsync(
            """
            select count(*) from (
              select report_key, date_trunc('month', day)::date as month, grp, measure, sum(value) as value from report_rollups where app_key = $1 group by 1, 2, 3, 4
            ) d full join (select * from report_rollup_months where app_key = $1) m using (report_key, month, grp, measure)
            where d.value is distinct from m.value and coalesce(d.value, 0) <> coalesce(m.value, 0)
            """,
            Lab));
    }

    [Fact]
    public async Task TemplateRollups_AnswerLikeTheRecords_ForSeveralParameters_AndAfterFeedbackWrites()
    {
        await AssertTemplateRollupsEqualRawAsync();

        // The admin reads every service request, so any of them may be the feedback's subject (cs01 could name only their own scope's).
        using var client = await platform.ClientForAsync("admin");
        var subjects = (await IdsAsync("after_sales", "service_request")).Take(20).ToList();
        var random = new Random(7);
        var created = new List<Guid>();
        for (var i = 0; i < 12; i++)
        {
            var body = new JsonObject
            {
                ["data"] = new JsonObject
                {
                    ["service_request"] = subjects[random.Next(subjects.Count)].ToString(),
                    ["rating"] = random.Next(1, 6),
                    ["first_time_fix"] = random.Next(3) == 0 ? null : random.Next(2) == 0,
                },
            };
            var record = await ApiAssert.JsonAsync(await client.PostAsJsonAsync("/api/apps/after_sales/entities/feedback/records", body), HttpStatusCode.Created);
            created.Add(Guid.Parse(record["id"]!.GetValue<string>()));
        }

        foreach (var id in created.Take(6))
        {
            await PatchAsync(client, "after_sales", "feedback", id, new JsonObject { ["rating"] = random.Next(1, 6), ["first_time_fix"] = random.Next(2) == 0 });
        }

        // Move some into other months (a created_at change in SQL goes through the trigger like any write).
        await ExecuteAsync("update records set created_at = created_at - interval '40 days' where id = any($1)", created.Skip(3).Take(4).ToArray());
        await AssertTemplateRollupsEqualRawAsync();

        foreach (var id in created)
        {
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/apps/after_sales/entities/feedback/records/{id}")).StatusCode);
        }

        await AssertTemplateRollupsEqualRawAsync();
    }

    [Fact]
    public async Task Rollups_AreRebuiltAndAnswerLikeTheRecords_WhenTheReportDefinitionChanges()
    {
        const string app = "rollup_lab_changed";
        await ReportLab.EnsureAsync(platform, app);
        var owners = await IdsAsync(app, "owner");
        var before = await DefinitionsAsync(app);

        var package = ReportLab.Package(app);
        var reports = package["reports"]!.AsArray();
        var byStatus = reports.Single(r => r!["key"]!.GetValue<string>() == "by_status")!;
        byStatus["dimensions"] = JsonNode.Parse("""[ { "key": "channel", "field": "channel" } ]""");
        byStatus["filters"] = JsonNode.Parse("""[ { "field": "status", "op": "ne", "value": "rejected" } ]""");
        var totals = reports.Single(r => r!["key"]!.GetValue<string>() == "totals")!;
        totals["measures"]!.AsArray().Add(JsonNode.Parse("""{ "key": "urgent_total", "kind": "sum", "field": "amount", "where": [ { "field": "urgent", "op": "eq", "value": true } ] }"""));
        reports.Single(r => r!["key"]!.GetValue<string>() == "by_creator")!["rollup"] = false;
        var names = reports.Single(r => r!["key"]!.GetValue<string>() == "names")!;
        names["rollup"] = true;
        names["parameters"] = JsonNode.Parse("""[ { "key": "name", "field": "name" } ]""");

        // Writers keep going while the changed package is imported and its rollups rebuilt.
        var tickets = new ConcurrentBag<Guid>(await IdsAsync(app, "ticket"));
        var failed = new ConcurrentBag<string>();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            var random = new Random(11);
            while (!stop.IsCancellationRequested)
            {
                await WriteRandomlyAsync("cs02", random, 5, tickets, owners, failed, app);
            }
        });
        await Task.Delay(100);
        await ReportLab.ImportAsync(platform, package, HttpStatusCode.OK);
        await Task.Delay(200);
        await stop.CancelAsync();
        await writer;
        Assert.Empty(failed);

        var after = await DefinitionsAsync(app);
        Assert.NotEqual(before["by_status"], after["by_status"]);
        Assert.NotEqual(before["totals"], after["totals"]);
        Assert.Equal(before["region_month"], after["region_month"]);
        Assert.False(after.ContainsKey("by_creator"));
        Assert.Equal(0, await platform.CountAsync("select count(*) from report_rollups where app_key = $1 and report_key = 'by_creator'", app));
        Assert.True(after.ContainsKey("names"));

        using var client = await platform.ClientForAsync("admin");
        var channels = await AssertRollupEqualsRawAsync(client, app, "by_status", "");
        Assert.Contains("channel", channels.First()!.AsObject().Select(p => p.Key));
        await AssertRollupEqualsRawAsync(client, app, "by_status", "region=east");
        await AssertRollupEqualsRawAsync(client, app, "totals", "");
        await AssertRollupEqualsRawAsync(client, app, "totals", "region=south");
        await AssertRollupEqualsRawAsync(client, app, "names", "");
        await AssertRollupEqualsRawAsync(client, app, "names", "name=plain|' or 1=1 --");
        await AssertRollupEqualsRawAsync(client, app, "region_month", "");
        var creator = await ApiAssert.JsonAsync(await client.GetAsync($"/api/apps/{app}/reports/by_creator/data"), HttpStatusCode.OK);
        Assert.Equal("records", creator["source"]!.GetValue<string>());
    }

    [Fact]
    public async Task Rollups_AreUnchanged_WhenTheWritingTransactionRollsBack()
    {
        var owners = await IdsAsync(Lab, "owner");
        var ticket = (await IdsAsync(Lab, "ticket")).First();
        var before = await RollupRowsAsync(Lab);

        await using (var connection = new NpgsqlConnection(platform.ConnectionString))
        {
            await connection.OpenAsync();
            await using var tx = await connection.BeginTransactionAsync();
            await using (var insert = new NpgsqlCommand(
                """
                insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by)
                values (gen_random_uuid(), $1, 'ticket', $2::jsonb, 1, 1, now() - interval '3 days', 'admin', now(), 'admin')
                """,
                connection,
                tx))
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = Lab });
                insert.Parameters.Add(new NpgsqlParameter { Value = $$"""{"name": "rolled back", "status": "open", "region": "east", "channel": "web", "amount": 5, "score": 2, "opened_on": "{{Today}}", "urgent": true, "owner": "{{owners[0]}}"}""" });
                await insert.ExecuteNonQueryAsync();
            }

            await using (var update = new NpgsqlCommand(
                """update records set data = data || '{"status": "rejected", "amount": 999, "opened_on": "2026-02-02"}'::jsonb, created_at = created_at - interval '1 year' where id = $1""",
                connection,
                tx))
            {
                update.Parameters.Add(new NpgsqlParameter { Value = ticket });
                await update.ExecuteNonQueryAsync();
            }

            Assert.NotEqual(before, await RollupRowsAsync(Lab, connection, tx));
            await using (var delete = new NpgsqlCommand("delete from records where app_key = $1 and entity_key = 'ticket' and data->>'name' = 'plain'", connection, tx))
            {
                delete.Parameters.Add(new NpgsqlParameter { Value = Lab });
                await delete.ExecuteNonQueryAsync();
            }

            await using var failing = new NpgsqlCommand("select 1 / 0", connection, tx);
            await Assert.ThrowsAsync<PostgresException>(() => failing.ExecuteScalarAsync());
        }

        Assert.Equal(before, await RollupRowsAsync(Lab));
        await AssertLabRollupsEqualRawAsync(owners);
    }

    [Fact]
    public async Task Sync_RebuildsTheRollups_WhileTheAppsIndexesAreBuiltConcurrently()
    {
        // Every import (and the start) builds field indexes in the background with CREATE INDEX CONCURRENTLY, which waits
        // for other transactions while holding a lock that the rebuild's share lock on records waits for: PostgreSQL then
        // fails one of the two as a deadlock. The rebuild must try again rather than fail the import after its commit.
        var services = platform.Factory.Services;
        var catalog = services.GetRequiredService<AppCatalog>();
        var template = (await catalog.GetAsync("after_sales", CancellationToken.None))!;
        var lab = (await catalog.GetAsync(Lab, CancellationToken.None))!;
        var rollups = services.GetRequiredService<ReportRollups>();

        // First let the start's own background index build finish (dropping an index under it deadlocks as well).
        var indexed = template.Entities.SelectMany(e => e.Fields).Count(f => f.Indexed && !f.Unique);
        await WaitUntilAsync($"select count(*) >= {indexed} from field_indexes where app_key = 'after_sales' and kind = 'index'");
        // The lab app's own background index build may still run: dropping indexes under it can lose a deadlock, so try again.
        await RetryDeadlockAsync(() => ExecuteAsync("""
            do $$ declare i record; begin
              for i in select c.relname from pg_class c join pg_index x on x.indexrelid = c.oid
                       where x.indrelid = 'records'::regclass and pg_get_expr(x.indpred, x.indrelid) like '%after_sales%' and not x.indisunique loop
                execute format('drop index %I', i.relname);
              end loop;
            end $$
            """));
        var build = services.GetRequiredService<Persistence.FieldIndexManager>().EnsureIndexesAsync(template, CancellationToken.None);
        var rebuilds = 0;
        while (!build.IsCompleted || rebuilds == 0)
        {
            await ExecuteAsync("delete from report_rollup_defs where app_key = $1", Lab);
            await rollups.SyncAsync(lab, CancellationToken.None);
            rebuilds++;
        }

        await build;
        Assert.Equal(9, await platform.CountAsync("select count(*) from report_rollup_defs where app_key = $1", Lab));

        // When PostgreSQL failed an index build instead, it left an invalid index that the next run replaces.
        await services.GetRequiredService<Persistence.FieldIndexManager>().EnsureIndexesAsync(template, CancellationToken.None);
        Assert.Equal(0, await platform.CountAsync("select count(*) from pg_index where indrelid = 'records'::regclass and not indisvalid"));
        using var client = await platform.ClientForAsync("admin");
        await AssertRollupEqualsRawAsync(client, Lab, "by_status", "");
        await AssertRollupEqualsRawAsync(client, Lab, "opened_daily", "");
    }

    [Fact]
    public async Task Writes_DoNotDeadlock_WhenAnUpdateMovesARecordIntoTheGroupOfAConcurrentInsert()
    {
        // For an update the records_report_rollup trigger applies the old row's delta for every rolled-up report of the
        // entity, then the new row's. A record moving into the group of a record inserted at the same moment would lock
        // report_rollups rows in another order than the insert (old rows of later reports before new rows of earlier ones),
        // unless the old row's delta also locks the new row's rows, report by report in key order.
        const string app = "rollup_lab_moves";
        await ReportLab.EnsureAsync(platform, app);
        var moved = (await IdsAsync(app, "ticket"))[0];
        var ticket = $$"""{"name": "moving", "status": "open", "region": "east", "channel": "web", "amount": 5, "score": 3, "opened_on": "{{Today}}", "urgent": true}""";
        await using var inserter = new NpgsqlConnection(platform.ConnectionString);
        await using var updater = new NpgsqlConnection(platform.ConnectionString);
        await inserter.OpenAsync();
        await updater.OpenAsync();
        var deadlocks = 0;
        for (var i = 0; i < 40; i++)
        {
            await ExecuteAsync("update records set data = $2::jsonb || '{\"status\": \"closed\"}', created_at = now() where id = $1", moved, ticket);
            using var start = new Barrier(2);
            var insert = new NpgsqlCommand(
                "insert into records (id, app_key, entity_key, data, version, definition_version, created_at, created_by, updated_at, updated_by) values (gen_random_uuid(), $1, 'ticket', $2::jsonb, 1, 1, now(), 'admin', now(), 'admin')",
                inserter);
            insert.Parameters.Add(new NpgsqlParameter { Value = app });
            insert.Parameters.Add(new NpgsqlParameter { Value = ticket });
            var update = new NpgsqlCommand("update records set data = data || '{\"status\": \"open\"}' where id = $1", updater);
            update.Parameters.Add(new NpgsqlParameter { Value = moved });
            await Task.WhenAll(new[] { insert, update }.Select(cmd => Task.Run(async () =>
            {
                start.SignalAndWait();
                try
                {
                    await cmd.ExecuteNonQueryAsync();
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
                {
                    Interlocked.Increment(ref deadlocks);
                }
                finally
                {
                    await cmd.DisposeAsync();
                }
            })));
        }

        Assert.Equal(0, deadlocks);
        using var client = await platform.ClientForAsync("admin");
        await AssertRollupEqualsRawAsync(client, app, "by_status", "");
        await AssertRollupEqualsRawAsync(client, app, "region_month", "");
    }

    private async Task AssertLabRollupsEqualRawAsync(IReadOnlyList<Guid> owners, string app = Lab)
    {
        using var client = await platform.ClientForAsync("admin");
        var month = DaysAgo(45)[..7];
        var queries = new (string Report, string Query)[]
        {
            ("by_status", ""),
            ("by_status", "region=east"),
            ("by_status", "region=east|south"),
            ("by_status", "region=nowhere"),
            ("by_status", $"period={DaysAgo(60)}.."),
            ("by_status", $"period=..{DaysAgo(30)}"),
            ("by_status", $"period={DaysAgo(200)}..{Today}&region=north"),
            ("by_status", $"period={DaysAgo(120)[..7]}-01..{DaysAgo(30)[..7]}-01"),
            ("totals", $"period={DaysAgo(150)[..7]}-01..{DaysAgo(20)}"),
            ("region_month", ""),
            ("region_month", "channel=web"),
            ("region_month", "channel=web|phone"),
            ("opened_daily", ""),
            ("opened_daily", $"period={DaysAgo(20)}..{DaysAgo(5)}"),
            ("opened_daily", "status=open"),
            ("opened_daily", "period=..9999-12-31"),
            ("opened_daily", "period=0001-01-01..9999-12-31&status=closed"),
            ("by_status", "period=0001-01-01..9999-12-31"),
            ("opened_daily", $"status=open|closed&period=..{DaysAgo(10)}"),
            ("recent_weeks", ""),
            ("previous_months", ""),
            ("previous_months", $"period={DaysAgo(60)}.."),
            ("previous_months", $"period=..{DaysAgo(40)}"),
            ("totals", ""),
            ("totals", "region=east"),
            ("totals", "region=nowhere"),
            ("totals", "period=2099-01-01..2099-12-31"),
            ("totals", $"period={month}-01..&region=south|north"),
            ("urgent_channel", ""),
            ("urgent_channel", $"period={DaysAgo(40)}.."),
            ("by_score", ""),
            ("by_score", $"owner={owners[0]}"),
            ("by_score", $"owner={owners[0]}|{owners[1]}"),
            ("by_creator", ""),
        };
        foreach (var (report, query) in queries)
        {
            await AssertRollupEqualsRawAsync(client, app, report, query);
        }
    }

    private async Task AssertTemplateRollupsEqualRawAsync()
    {
        using var client = await platform.ClientForAsync("admin");
        foreach (var (report, query) in new[]
        {
            ("return_reasons", ""),
            ("return_reasons", "kind=return"),
            ("return_reasons", "kind=exchange|repair"),
            ("return_reasons", $"period={DaysAgo(90)}..{Today}"),
            ("return_reasons", $"period={DaysAgo(180)}..{DaysAgo(30)}&kind=return"),
            ("first_time_fix_rate", ""),
            ("first_time_fix_rate", $"period={DaysAgo(120)}.."),
            ("csat_trend", ""),
            ("csat_trend", $"period=..{DaysAgo(60)}"),
        })
        {
            await AssertRollupEqualsRawAsync(client, "after_sales", report, query);
        }
    }

    [Fact]
    public async Task PreviousPeriod_CountsTheWholeMonthsBeforeThisOne_AndLeavesThisMonthOut()
    {
        using var client = await platform.ClientForAsync("admin");
        var china = DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8));
        var thisMonth = new DateTime(china.Year, china.Month, 1, 0, 0, 0, DateTimeKind.Unspecified);

        // One ticket today (left out) and one on the first day of the oldest month counted (in): both edges of the period.
        foreach (var day in new[] { Today, thisMonth.AddMonths(-12).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) })
        {
            var created = await client.PostAsJsonAsync($"/api/apps/{Lab}/entities/ticket/records", new JsonObject
            {
                ["data"] = new JsonObject { ["name"] = "edge " + day, ["status"] = "open", ["region"] = "east", ["channel"] = "web", ["amount"] = 1, ["opened_on"] = day },
            });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        var rows = await AssertRollupEqualsRawAsync(client, Lab, "previous_months", "");
        var months = Enumerable.Range(1, 12).Select(i => thisMonth.AddMonths(-i).ToString("yyyy-MM", CultureInfo.InvariantCulture)).ToHashSet();
        var expected = await platform.CountAsync(
            "select count(*) from records where app_key = $1 and entity_key = 'ticket' and (data->>'opened_on')::date >= $2 and (data->>'opened_on')::date < $3",
            Lab, DateOnly.FromDateTime(thisMonth.AddMonths(-12)), DateOnly.FromDateTime(thisMonth));
        Assert.True(expected > 0, "the lab has tickets opened in the twelve months before this one");
        Assert.All(rows, r => Assert.Contains(r!["month"]!.GetValue<string>(), months));
        Assert.Equal(expected, rows.Sum(r => r!["n"]!.GetValue<long>()));
    }

    /// <summary>The report from its rollup and from the records answer the same rows and series; returns the rows.</summary>
    private static async Task<JsonArray> AssertRollupEqualsRawAsync(HttpClient client, string app, string report, string query)
    {
        var url = $"/api/apps/{app}/reports/{report}/data?{query}";
        var rolled = await ApiAssert.JsonAsync(await client.GetAsync(url), HttpStatusCode.OK);
        var raw = await ApiAssert.JsonAsync(await client.GetAsync(url + (query.Length == 0 ? string.Empty : "&") + AllRows), HttpStatusCode.OK);
        Assert.True(rolled["source"]!.GetValue<string>() == "rollup", $"{report}?{query} was not answered from its rollup");
        Assert.Equal("records", raw["source"]!.GetValue<string>());
        var expected = raw["rows"]!.ToJsonString();
        var actual = rolled["rows"]!.ToJsonString();
        Assert.True(expected == actual, $"{app}.{report}?{query}\nrecords: {expected}\nrollup:  {actual}");
        Assert.Equal(raw["series"]!.ToJsonString(), rolled["series"]!.ToJsonString());
        return rolled["rows"]!.AsArray();
    }

    /// <summary><paramref name="count"/> random creates, updates and deletes of lab tickets as <paramref name="user"/>.</summary>
    private async Task WriteRandomlyAsync(string user, Random random, int count, ConcurrentBag<Guid> tickets, IReadOnlyList<Guid> owners, ConcurrentBag<string> failed, string app = Lab)
    {
        using var client = await platform.ClientForAsync(user);
        var records = $"/api/apps/{app}/entities/ticket/records";
        for (var i = 0; i < count; i++)
        {
            var op = random.Next(10);
            var ids = tickets.ToArray();
            if (op < 4 || ids.Length < 5)
            {
                var created = await client.PostAsJsonAsync(records, new JsonObject { ["data"] = RandomTicket(random, owners, all: true) });
                if (created.StatusCode == HttpStatusCode.InternalServerError)
                {
                    failed.Add($"POST {await created.Content.ReadAsStringAsync()}");
                    continue;
                }

                Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
                tickets.Add(Guid.Parse((await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>()));
            }
            else if (op < 8)
            {
                await PatchAsync(client, app, "ticket", ids[random.Next(ids.Length)], RandomTicket(random, owners, all: false), failed);
            }
            else
            {
                var deleted = await client.DeleteAsync($"{records}/{ids[random.Next(ids.Length)]}");
                if (deleted.StatusCode == HttpStatusCode.InternalServerError)
                {
                    failed.Add($"DELETE {await deleted.Content.ReadAsStringAsync()}");
                    continue;
                }

                Assert.True(deleted.StatusCode is HttpStatusCode.NoContent or HttpStatusCode.NotFound or HttpStatusCode.Conflict, $"{(int)deleted.StatusCode} {await deleted.Content.ReadAsStringAsync()}");
            }
        }
    }

    /// <summary>Moves random tickets' created_at back by up to 400 days (and touches some without a change) in SQL.</summary>
    private async Task MoveCreatedAtAsync(Random random, int count, ConcurrentBag<string> failed)
    {
        for (var i = 0; i < count; i++)
        {
            var ids = await IdsAsync(Lab, "ticket");
            var id = ids[random.Next(ids.Count)];
            try
            {
                if (i % 5 == 4)
                {
                    await ExecuteAsync("update records set updated_at = now() where id = $1", id);
                }
                else
                {
                    await ExecuteAsync("update records set created_at = created_at - make_interval(days => $2, hours => $3) where id = $1", id, random.Next(1, 400), random.Next(0, 24));
                }
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected)
            {
                failed.Add("SQL created_at: " + e.MessageText);
            }

            await Task.Delay(random.Next(5, 25));
        }
    }

    private static JsonObject RandomTicket(Random random, IReadOnlyList<Guid> owners, bool all)
    {
        JsonNode? Pick(params string[] values) => random.Next(8) == 0 ? null : values[random.Next(values.Length)];
        var candidates = new Dictionary<string, Func<JsonNode?>>
        {
            ["name"] = () => random.Next(6) == 0 ? null : Pick("plain", "' or 1=1 --", "普通工单", "100% sure", "a_b c", "x" + random.Next(1000)),
            ["status"] = () => Pick("open", "closed", "rejected"),
            ["region"] = () => Pick("east", "south", "north"),
            ["channel"] = () => Pick("web", "phone", "shop"),
            ["amount"] = () => random.Next(6) == 0 ? null : Math.Round((decimal)random.NextDouble() * 500, 2),
            ["score"] = () => random.Next(6) == 0 ? null : random.Next(1, 6),
            ["opened_on"] = () => random.Next(5) == 0 ? null : DaysAgo(random.Next(-3, 130)),
            ["urgent"] = () => random.Next(4) == 0 ? null : random.Next(2) == 0,
            ["tags"] = () => new JsonArray(new[] { "a", "b", "c" }.Where(_ => random.Next(2) == 0).Select(t => (JsonNode?)t).ToArray()),
            ["owner"] = () => random.Next(5) == 0 ? null : owners[random.Next(owners.Count)].ToString(),
        };
        var data = new JsonObject();
        foreach (var (key, value) in candidates)
        {
            if (all || random.Next(3) == 0)
            {
                data[key] = value();
            }
        }

        return data;
    }

    /// <summary>PATCH with the current version; with <paramref name="failed"/> a concurrent change or delete is fine and a 500 is collected.</summary>
    private static async Task PatchAsync(HttpClient client, string app, string entity, Guid id, JsonObject data, ConcurrentBag<string>? failed = null)
    {
        var url = $"/api/apps/{app}/entities/{entity}/records/{id}";
        var tolerateRaces = failed is not null;
        using var current = await client.GetAsync(url);
        if (tolerateRaces && current.StatusCode == HttpStatusCode.NotFound)
        {
            return;
        }

        var version = (await ApiAssert.JsonAsync(current, HttpStatusCode.OK))["version"]!.GetValue<int>();
        using var request = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(new JsonObject { ["data"] = data }) };
        request.Headers.TryAddWithoutValidation("If-Match", $"\"{version}\"");
        using var response = await client.SendAsync(request);
        if (failed is not null && response.StatusCode == HttpStatusCode.InternalServerError)
        {
            failed.Add($"PATCH {await response.Content.ReadAsStringAsync()}");
            return;
        }

        var ok = response.StatusCode == HttpStatusCode.OK || (tolerateRaces && response.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound);
        Assert.True(ok, $"PATCH {url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    private async Task<List<Guid>> IdsAsync(string app, string entity)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select id from records where app_key = $1 and entity_key = $2 order by created_at, id", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        cmd.Parameters.Add(new NpgsqlParameter { Value = entity });
        var ids = new List<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ids.Add(reader.GetGuid(0));
        }

        return ids;
    }

    private async Task<Dictionary<string, string>> DefinitionsAsync(string app)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand("select report_key, hash || ' ' || built_at::text from report_rollup_defs where app_key = $1", connection);
        cmd.Parameters.Add(new NpgsqlParameter { Value = app });
        var defs = new Dictionary<string, string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            defs[reader.GetString(0)] = reader.GetString(1);
        }

        return defs;
    }

    private async Task<string> RollupRowsAsync(string app, NpgsqlConnection? connection = null, NpgsqlTransaction? tx = null)
    {
        var own = connection is null ? new NpgsqlConnection(platform.ConnectionString) : null;
        try
        {
            if (own is not null)
            {
                await own.OpenAsync();
            }

            await using var cmd = new NpgsqlCommand(
                "select coalesce(string_agg(format('%s|%s|%s|%s|%s', report_key, day, grp, measure, value), E'\\n' order by report_key, day, grp, measure), '') from report_rollups where app_key = $1",
                connection ?? own,
                tx);
            cmd.Parameters.Add(new NpgsqlParameter { Value = app });
            return (string)(await cmd.ExecuteScalarAsync())!;
        }
        finally
        {
            if (own is not null)
            {
                await own.DisposeAsync();
            }
        }
    }

    /// <summary>How many deadlocks the test cluster has logged (its log sits beside the data directory).</summary>
    private async Task<int> DeadlocksAsync()
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        var data = (string)(await new NpgsqlCommand("show data_directory", connection).ExecuteScalarAsync())!;
        var log = Path.Combine(Path.GetDirectoryName(data)!, "postgres.log");
        await using var stream = new FileStream(log, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var text = await reader.ReadToEndAsync();
        return text.Split("ERROR:  deadlock detected").Length - 1;
    }

    private async Task WaitUntilAsync(string sql)
    {
        for (var i = 0; i < 200; i++)
        {
            await using var connection = new NpgsqlConnection(platform.ConnectionString);
            await connection.OpenAsync();
            if ((bool)(await new NpgsqlCommand(sql, connection).ExecuteScalarAsync())!)
            {
                return;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException(sql);
    }

    private static async Task RetryDeadlockAsync(Func<Task> action)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (Npgsql.PostgresException e) when (e.SqlState == Npgsql.PostgresErrorCodes.DeadlockDetected && attempt < 10)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }

    private async Task ExecuteAsync(string sql, params object[] args)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        await cmd.ExecuteNonQueryAsync();
    }
}
