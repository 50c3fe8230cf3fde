using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Hosting;

/// <summary>
/// The demo data's flows as the loader left them in PostgreSQL (the platform fixture loads the demo data): every
/// return, service request and claim has its flow, played through the flow engine by the demo users, with
/// history in time order, statuses that agree with the records, nothing in the future, and a handful of open tasks.
/// </summary>
[Collection("platform")]
public sealed class DemoFlowsTests(PlatformFixture platform)
{
    /// <summary>Demo records: created before the template was imported (everything the tests create comes after).</summary>
    private const string DemoRecords = """
        r.app_key = 'after_sales' and r.entity_key in ('return_request', 'service_request', 'logistics_claim')
          and r.created_at < (select min(published_at) from app_versions where app_key = 'after_sales')
        """;

    /// <summary>The template's contract: the record status each open step (or each end) of its flow leaves.</summary>
    private static readonly Dictionary<(string Flow, string Where), string> ExpectedStatus = new()
    {
        [("return_flow", "cs_review")] = "pending", [("return_flow", "supervisor_approval")] = "pending",
        [("return_flow", "warehouse_qc")] = "approved", [("return_flow", "finance_refund")] = "approved", [("return_flow", "ship_replacement")] = "approved",
        [("return_flow", "completed:return")] = "refunded", [("return_flow", "completed:exchange")] = "shipped", [("return_flow", "rejected")] = "rejected",
        [("service_flow", "accept")] = "new", [("service_flow", "dispatch")] = "accepted", [("service_flow", "complaint_review")] = "accepted",
        [("service_flow", "invoice_reissue")] = "accepted", [("service_flow", "execute")] = "dispatched", [("service_flow", "follow_up")] = "resolved",
        [("service_flow", "completed")] = "closed", [("service_flow", "rejected")] = "rejected",
        [("claim_flow", "temperature_evidence")] = "submitted", [("claim_flow", "ka_review")] = "submitted", [("claim_flow", "retail_review")] = "submitted",
        [("claim_flow", "finance_approval")] = "submitted", [("claim_flow", "payout")] = "approved", [("claim_flow", "completed")] = "paid",
        [("claim_flow", "rejected")] = "rejected",
    };

    private async Task<List<object?[]>> RowsAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, connection);
        await using var reader = await cmd.ExecuteReaderAsync();
        var rows = new List<object?[]>();
        while (await reader.ReadAsync())
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            }

            rows.Add(row);
        }

        return rows;
    }

    [Fact]
    public async Task DemoRequests_EachHaveOneFlow_StartedAtCreationByTheirCreator()
    {
        var rows = await RowsAsync($"""
            select r.entity_key, count(i.id), bool_and(i.started_at = r.created_at and i.started_by = r.created_by),
                   bool_and(h.action = 'start' and h.at = r.created_at and h.by = r.created_by)
            from records r left join flow_instances i on i.record_id = r.id left join flow_history h on h.instance_id = i.id and h.seq = 1
            where {DemoRecords} group by r.entity_key, r.id
            """);

        Assert.Equal(["logistics_claim", "return_request", "service_request"], rows.Select(r => (string)r[0]!).Distinct().Order());
        Assert.True(rows.Count >= 880, $"{rows.Count} demo requests");
        Assert.All(rows, r => Assert.Equal(1L, r[1]));
        Assert.All(rows, r => Assert.True((bool)r[2]! && (bool)r[3]!));
    }

    [Fact]
    public async Task DemoHistory_IsOrderedInTime_ByRealUsers_AndNeverBeforeTheRecordNorInTheFuture()
    {
        var rows = await RowsAsync($"""
            select
              (select count(*) from flow_history a join flow_history b on b.instance_id = a.instance_id and b.seq = a.seq + 1 where a.instance_id = i.id and b.at < a.at),
              (select count(*) from flow_history h where h.instance_id = i.id and (h.at < r.created_at or h.at > now())),
              (select count(*) from flow_tasks t where t.instance_id = i.id and (t.created_at < r.created_at or t.created_at > now() or t.closed_at > now() or t.closed_at < t.created_at)),
              (select count(*) from notifications n where n.instance_id = i.id and (n.created_at < r.created_at or n.created_at > now())),
              (select count(*) from record_audit a where a.record_id = r.id and (a.at < r.created_at or a.at > now())),
              (coalesce(i.ended_at, i.started_at) > now() or r.updated_at > now() or r.updated_at < r.created_at),
              (select count(*) from flow_history h where h.instance_id = i.id and h.action in ('approve', 'reject')
                 and h.by not in (select user_name from users) and h.by not like 'rule:%')
            from records r join flow_instances i on i.record_id = r.id where {DemoRecords}
            """);

        Assert.NotEmpty(rows);
        Assert.All(rows, r =>
        {
            Assert.Equal(new object?[] { 0L, 0L, 0L, 0L, 0L }, r[..5]);
            Assert.False((bool)r[5]!);
            Assert.Equal(0L, r[6]);
        });
        var deciders = await RowsAsync($"""
            select distinct h.by from flow_history h join flow_instances i on i.id = h.instance_id join records r on r.id = i.record_id
            where {DemoRecords} and h.action in ('approve', 'reject') order by 1
            """);
        Assert.Superset(new HashSet<string> { "cs01", "cs02", "sup01", "wh01", "fin01", "qa01", "rule:auto_dispatch" }, deciders.Select(d => (string)d[0]!).ToHashSet());
        Assert.Contains(deciders, d => ((string)d[0]!).StartsWith("eng", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DemoStatuses_AgreeWithTheirFlows_AndRejectionsSayWhy()
    {
        var rows = await RowsAsync($"""
            select i.flow_key, i.status, coalesce((select string_agg(a->>'step', ',') from jsonb_array_elements(i.state->'active') a), ''), r.data->>'status', r.data->>'kind',
                   (select h.comment from flow_history h where h.instance_id = i.id and h.action = 'end'),
                   (select count(*) from flow_tasks t where t.instance_id = i.id and t.status in ('open', 'waiting')),
                   (select count(*) from timers t where t.instance_id = i.id)
            from records r join flow_instances i on i.record_id = r.id where {DemoRecords}
            """);

        var statuses = rows.GroupBy(r => (string)r[1]!).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(statuses.GetValueOrDefault("completed") > 500, string.Join(", ", statuses));
        Assert.True(statuses.GetValueOrDefault("rejected") > 20, string.Join(", ", statuses));
        Assert.InRange(statuses.GetValueOrDefault("running"), 5, 80);
        foreach (var r in rows)
        {
            var (flow, status, active, recordStatus) = ((string)r[0]!, (string)r[1]!, (string)r[2]!, (string)r[3]!);
            var where = status switch
            {
                "running" => active,
                "completed" when flow == "return_flow" => $"completed:{r[4]}",
                _ => status,
            };
            Assert.True(ExpectedStatus.TryGetValue((flow, where), out var expected), $"{flow} {status} at '{active}'");
            Assert.Equal(expected, recordStatus);
            if (status == "running")
            {
                Assert.True((long)r[6]! > 0, $"{flow} running at {active} without an open task");
            }
            else
            {
                Assert.Equal(0L, (long)r[6]!);
                Assert.Equal(0L, (long)r[7]!);
            }

            if (status == "rejected")
            {
                Assert.False(string.IsNullOrWhiteSpace((string?)r[5]), $"{flow} rejected without a comment");
            }
        }
    }

    [Fact]
    public async Task DemoServiceRequests_AreAcceptedAtAcceptedAt_AndServedByTheirEngineer()
    {
        var accepts = await RowsAsync($"""
            select h.at, (r.data->>'accepted_at')::timestamptz from flow_history h join flow_instances i on i.id = h.instance_id join records r on r.id = i.record_id
            where {DemoRecords} and r.entity_key = 'service_request' and h.step = 'accept' and h.action = 'approve'
            """);
        Assert.True(accepts.Count > 400, $"{accepts.Count} accepted");
        Assert.All(accepts, a => Assert.True(Math.Abs(((DateTime)a[0]! - (DateTime)a[1]!).TotalMilliseconds) < 1, $"{a[0]:O} vs {a[1]:O}"));

        var visits = await RowsAsync($"""
            select h.by, r.data->>'engineer_user', e.data->>'user_name', r.data->>'type' from flow_history h
              join flow_instances i on i.id = h.instance_id join records r on r.id = i.record_id join records e on e.id = (r.data->>'engineer')::uuid
            where {DemoRecords} and r.entity_key = 'service_request' and h.step = 'execute' and h.action = 'approve'
            """);
        Assert.True(visits.Count > 300, $"{visits.Count} visits");
        Assert.All(visits, v =>
        {
            Assert.Equal(v[2], v[0]);
            Assert.Equal(v[2], v[1]);
            Assert.Contains((string)v[3]!, new[] { "repair", "install", "maintain" });
        });

        var unaccepted = await platform.CountAsync($"select count(*) from records r where {DemoRecords} and r.entity_key = 'service_request' and r.data->>'status' = 'new' and r.data ? 'accepted_at'");
        Assert.Equal(0, unaccepted);
        var partsOutsideVisits = await platform.CountAsync($"""
            select count(*) from records p join records r on r.id = (p.data->>'service_request')::uuid
            where p.entity_key = 'part_usage' and {DemoRecords}
              and not exists (select 1 from flow_history h join flow_instances i on i.id = h.instance_id
                              where i.record_id = r.id and h.step = 'execute' and h.action = 'approve' and h.by = p.created_by and p.created_at <= h.at)
            """);
        Assert.Equal(0, partsOutsideVisits);
    }

    [Fact]
    public async Task DemoTimers_AreLeftOnlyOnRunningSteps_AtTheirTasksDueTimes()
    {
        var rows = await RowsAsync($"""
            select i.status, t.step, t.due_at, (select max(k.due_at) from flow_tasks k where k.instance_id = i.id and k.step = t.step and k.status = 'open')
            from timers t join flow_instances i on i.id = t.instance_id join records r on r.id = i.record_id where {DemoRecords} and t.kind not like 'rule-%'
            """);
        Assert.All(rows, r =>
        {
            Assert.Equal("running", r[0]);
            Assert.Equal(r[3], r[2]);
        });

        // Overdue rules' timers: only on a step still open, and those that fell due in the history fired (logged, with the alert sent).
        Assert.Equal(0L, await platform.CountAsync($"""
            select count(*) from timers t join flow_instances i on i.id = t.instance_id join records r on r.id = i.record_id
            where {DemoRecords} and t.kind = 'rule-overdue'
              and (i.status <> 'running' or not exists (select 1 from flow_tasks k where k.instance_id = i.id and k.step = t.step and k.status = 'open'))
            """));
        var late = await platform.CountAsync($"""
            select count(*) from records r where {DemoRecords} and r.entity_key = 'service_request' and (r.data->>'accepted_at')::timestamptz > r.created_at + interval '30 minutes'
            """);
        Assert.True(late > 5, $"{late} late acceptances");
        Assert.True(await platform.CountAsync($"""
            select count(distinct f.record_id) from rule_firings f join records r on r.id = f.record_id
            where {DemoRecords} and f.rule_key = 'accept_overdue' and f.status = 'fired' and f.at >= r.created_at + interval '30 minutes'
            """) >= late);
        Assert.True(await platform.CountAsync("select count(*) from timer_firings where fired_by = 'demo-data'") > 0);
        var breaches = await platform.CountAsync($"""
            select count(*) from flow_tasks t join records r on r.id = t.record_id where {DemoRecords} and t.status = 'done' and t.closed_at > t.due_at
            """);
        Assert.InRange(breaches, 10, 400);
    }

    [Fact]
    public async Task DemoInbox_OfCs01_ShowsAHandfulOfOpenTasks_WithTheirInstances()
    {
        var open = (await RowsAsync($"""
            select t.id::text from flow_tasks t join records r on r.id = t.record_id
            where {DemoRecords} and t.status = 'open' and (t.assignee = 'cs01' or (t.assignee is null and t.role = 'customer_service'))
            """)).Select(r => (string)r[0]!).ToList();
        Assert.NotEmpty(open);
        Assert.True(open.Count < 40, $"{open.Count} open tasks for cs01");

        using var cs = await platform.ClientForAsync("cs01");
        var inbox = (await cs.GetFromJsonAsync<JsonArray>("/api/tasks?limit=500"))!.Select(t => t!.AsObject()).ToList();
        Assert.Superset(open.ToHashSet(), inbox.Select(t => t["id"]!.GetValue<string>()).ToHashSet());
        using var sup = await platform.ClientForAsync("sup01");
        var supervisor = (await sup.GetFromJsonAsync<JsonArray>("/api/tasks?limit=500"))!.Select(t => t!["id"]!.GetValue<string>()).ToHashSet();
        Assert.Superset(open.ToHashSet(), supervisor);

        var task = inbox.First(t => t["id"]!.GetValue<string>() == open[0]);
        Assert.Contains(" · ", task["title"]!.GetValue<string>(), StringComparison.Ordinal);
        var instance = (await cs.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{task["flowInstanceId"]}"))!;
        Assert.Equal("running", instance["status"]!.GetValue<string>());
        Assert.Contains(task["step"]!.GetValue<string>(), instance["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        var history = instance["history"]!.AsArray().Select(h => h!.AsObject()).ToList();
        Assert.Equal("start", history[0]["action"]!.GetValue<string>());
        Assert.Equal(history.Select(h => h["at"]!.GetValue<DateTimeOffset>()).Order(), history.Select(h => h["at"]!.GetValue<DateTimeOffset>()));
        Assert.All(history, h => Assert.False(string.IsNullOrEmpty(h["by"]!.GetValue<string>())));

        var completed = await RowsAsync($"""
            select i.id from flow_instances i join records r on r.id = i.record_id where {DemoRecords} and r.entity_key = 'service_request' and i.status = 'completed' and r.created_by = 'cs01' order by r.created_at limit 1
            """);
        var done = (await cs.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{completed[0][0]}"))!;
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        Assert.Empty(done["timers"]!.AsArray());
        Assert.Contains(done["history"]!.AsArray(), h => h!["step"]!.GetValue<string>() == "accept" && h["action"]!.GetValue<string>() == "approve"
            && h["by"]!.GetValue<string>() is "cs01" or "cs02" or "sup01");
        Assert.Equal("end", done["history"]!.AsArray()[^1]!["action"]!.GetValue<string>());
    }
}
