using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Xunit.Abstractions;
using Microsoft.AspNetCore.Http;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Runtime.Tests.Integrations;

namespace Platform.Runtime.Tests.Flows;

/// <summary>
/// The two ways a node loses its work mid-stream. The runtime killed with SIGKILL (started again on the same database),
/// and PostgreSQL stopped with <c>pg_ctl -m immediate</c> under a running runtime (started again; the runtime is not
/// restarted and must reconnect by itself). Both check: every acknowledged (2xx) write is there, no step was entered
/// twice, nothing was written or sent twice, and timers that fell due during the outage fire after it.
/// </summary>
[Collection("postgres")]
public sealed class CrashRecoveryTests(PostgresFixture postgres, ITestOutputHelper output)
{
    private const string Customers = "/api/apps/after_sales/entities/customer/records";

    [Fact]
    public async Task KillDuringApprovals_LosesNothing_RepeatsNothing_AndTimersCatchUp()
    {
        var db = await postgres.CreateDatabaseAsync();
        var port = RuntimeProcess.FreePort();
        var runtime = await RuntimeProcess.StartAsync(db, port, "node-a");
        var acknowledged = new ConcurrentBag<string>();
        var timerInstances = new List<string>();
        try
        {
            using (var admin = await runtime.ClientAsync("admin"))
            {
                await PublishAsync(admin, "t_crash", "address == 'crash'", """
                    { "key": "first", "type": "approval", "assignees": { "users": ["cs01"] } },
                    { "key": "second", "type": "approval", "assignees": { "roles": ["warehouse"] } }
                    """, """{ "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "done" }""");
                await PublishAsync(admin, "t_crash_timer", "address == 'timer'", """
                    { "key": "wait_sign", "type": "approval", "assignees": { "users": ["fin01"] }, "deadline": { "minutes": 0.05, "businessTime": false, "action": "auto-approve" } }
                    """, """{ "from": "start", "to": "wait_sign" }, { "from": "wait_sign", "to": "done" }""");
            }

            using var cs = await runtime.ClientAsync("cs01");
            for (var i = 0; i < 30; i++)
            {
                await CreateAsync(cs, "crash", i);
            }

            runtime.Kill();
            runtime = await RuntimeProcess.StartAsync(db, port, "node-a");
            using (var cs2 = await runtime.ClientAsync("cs01"))
            {
                for (var i = 0; i < 5; i++)
                {
                    timerInstances.Add(await CreateAsync(cs2, "timer", 100 + i));
                }
            }

            // A stream of approvals from four clients; the process dies under it.
            using var approver = await runtime.ClientAsync("cs01");
            var tasks = (await approver.GetFromJsonAsync<JsonArray>("/api/tasks?limit=500"))!.Select(t => t!["id"]!.GetValue<string>()).ToList();
            Assert.Equal(30, tasks.Count);
            await ApproveUntilKilledAsync(approver, tasks, 4, 10, acknowledged, runtime.Kill);
            await Task.Delay(TimeSpan.FromSeconds(4));

            runtime = await RuntimeProcess.StartAsync(db, port, "node-a");
            await using var data = NpgsqlDataSource.Create(db);
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (await ScalarAsync(data, "select count(*) from flow_instances where flow_key = 't_crash_timer' and status = 'completed'") < timerInstances.Count
                && DateTime.UtcNow < deadline)
            {
                await Task.Delay(200);
            }

            Assert.Equal(timerInstances.Count, await ScalarAsync(data, "select count(*) from flow_instances where flow_key = 't_crash_timer' and status = 'completed'"));
            Assert.True(acknowledged.Count >= 10);
            foreach (var task in acknowledged)
            {
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from flow_tasks where id = $1::uuid and status = 'done' and action = 'approve'", task));
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from flow_history where task_id = $1::uuid and action = 'approve'", task));
            }

            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select instance_id, step from flow_history where action = 'enter' group by 1, 2 having count(*) > 1) twice"));
            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select task_id, user_name, kind from notifications where task_id is not null group by 1, 2, 3 having count(*) > 1) twice"));
            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select i.id from flow_instances i where (select count(*) from flow_tasks t where t.instance_id = i.id and t.status = 'open') <> jsonb_array_length(i.state->'tasks')) broken"));
            Assert.Equal(timerInstances.Count, await ScalarAsync(data, "select count(*) from timer_firings f join flow_instances i on i.id = f.instance_id where i.flow_key = 't_crash_timer'"));
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task KillDuringCreateBurst_KeepsEveryAcknowledgedCreate_DuplicatesNone_AndNumbersStayGapless()
    {
        var db = await postgres.CreateDatabaseAsync();
        var port = RuntimeProcess.FreePort();
        var runtime = await RuntimeProcess.StartAsync(db, port, "node-a");
        var acknowledged = new ConcurrentDictionary<string, string>();
        try
        {
            string part;
            using (var wh = await runtime.ClientAsync("admin"))
            {
                var created = await wh.PostAsJsonAsync("/api/apps/after_sales/entities/spare_part/records", new
                {
                    data = new { part_no = "CRASH-1", name = "测试备件", stock = 50, safety_stock = 5 },
                });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                part = (await created.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
            }

            // Eight clients creating purchase requests (auto-numbered, no flow, no rule: the group-committed path); the process dies under them.
            using var stop = new CancellationTokenSource();
            var sent = 0;
            using var client = await runtime.ClientAsync("wh01");
            var workers = Enumerable.Range(0, 8).Select(async w =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var reason = $"burst {w} {Interlocked.Increment(ref sent)}";
                    try
                    {
                        var response = await client.PostAsJsonAsync("/api/apps/after_sales/entities/purchase_request/records", new { data = new { part, quantity = 1, reason } });
                        if (response.StatusCode == HttpStatusCode.Created)
                        {
                            acknowledged[reason] = (await response.Content.ReadFromJsonAsync<JsonObject>())!["data"]!["request_no"]!.GetValue<string>();
                        }
                    }
                    catch (HttpRequestException)
                    {
                        return;
                    }
                    catch (TaskCanceledException)
                    {
                        return;
                    }
                }
            }).ToList();
            while (acknowledged.Count < 300)
            {
                await Task.Delay(5);
            }

            runtime.Kill();
            stop.Cancel();
            await Task.WhenAll(workers);
            output.WriteLine($"sent {sent}, acknowledged {acknowledged.Count}");

            runtime = await RuntimeProcess.StartAsync(db, port, "node-a");
            await using var data = NpgsqlDataSource.Create(db);
            foreach (var (reason, number) in acknowledged)
            {
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from records where entity_key = 'purchase_request' and data->>'reason' = $1 and data->>'request_no' = $2", reason, number));
            }

            const string Burst = "from records where entity_key = 'purchase_request' and data->>'reason' like 'burst %'";
            Assert.Equal(0, await ScalarAsync(data, $"select count(*) from (select data->>'reason' {Burst} group by 1 having count(*) > 1) twice"));
            Assert.Equal(0, await ScalarAsync(data, $"select count(*) from (select data->>'request_no' {Burst} group by 1 having count(*) > 1) twice"));
            Assert.Equal(await ScalarAsync(data, $"select count(*) {Burst}"), await ScalarAsync(data, $"select count(*) from record_audit a where a.action = 'create' and a.record_id in (select id {Burst})"));
            var stored = await ScalarAsync(data, $"select count(*) {Burst}");
            var span = await ScalarAsync(data, $"select max(right(data->>'request_no', 4)::int) - min(right(data->>'request_no', 4)::int) + 1 {Burst}");
            Assert.Equal(stored, span);

            // The burst went through group commit: some transactions hold more than one create.
            var grouped = await ScalarAsync(data, $"select count(*) from (select xmin::text {Burst} group by 1 having count(*) > 1) together");
            output.WriteLine($"stored {stored}, transactions with more than one create {grouped}");
            Assert.True(grouped > 0, "no two creates shared a commit");
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task KillDuringApprovalBurst_KeepsEveryAcknowledgedApproval_Once_AndHalfWritesNone()
    {
        var db = await postgres.CreateDatabaseAsync();
        var port = RuntimeProcess.FreePort();
        var runtime = await RuntimeProcess.StartAsync(db, port, "node-a");
        var acknowledged = new ConcurrentBag<string>();
        try
        {
            using (var admin = await runtime.ClientAsync("admin"))
            {
                await PublishAsync(admin, "t_burst", "address == 'burst'", """
                    { "key": "first", "type": "approval", "assignees": { "users": ["cs01"] } },
                    { "key": "second", "type": "approval", "assignees": { "users": ["cs01"] } }
                    """, """{ "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "done" }""");
            }

            using var cs = await runtime.ClientAsync("cs01");
            var next = -1;
            await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
            {
                int i;
                while ((i = Interlocked.Increment(ref next)) < 500)
                {
                    await CreateAsync(cs, "burst", i);
                }
            }));

            await using var data = NpgsqlDataSource.Create(db);
            var tasks = new List<string>();
            await using (var cmd = data.CreateCommand("select id::text from flow_tasks where step = 'first' and status = 'open'"))
            await using (var reader = await cmd.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    tasks.Add(reader.GetString(0));
                }
            }

            Assert.Equal(500, tasks.Count);

            // Eight clients approving (self-contained actions: the group-committed path); the process dies under them.
            await ApproveUntilKilledAsync(cs, tasks, 8, 300, acknowledged, runtime.Kill);
            runtime = await RuntimeProcess.StartAsync(db, port, "node-a");

            foreach (var task in acknowledged)
            {
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from flow_tasks where id = $1::uuid and status = 'done' and action = 'approve'", task));
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from flow_history where task_id = $1::uuid and action = 'approve'", task));
            }

            // Every instance is wholly before or wholly after its approval: task, history, next task, notification and state agree.
            var approved = await ScalarAsync(data, "select count(*) from flow_tasks where step = 'first' and status = 'done'");
            output.WriteLine($"acknowledged {acknowledged.Count}, approved {approved}");
            Assert.Equal(approved, await ScalarAsync(data, "select count(*) from flow_history where action = 'approve'"));
            Assert.Equal(approved, await ScalarAsync(data, "select count(*) from flow_tasks where step = 'second' and status = 'open'"));
            Assert.Equal(approved, await ScalarAsync(data, "select count(*) from flow_instances where state->'active' @> '[{\"step\": \"second\"}]'"));
            Assert.Equal(approved, await ScalarAsync(data, "select count(*) from notifications n join flow_tasks t on t.id = n.task_id where t.step = 'second'"));
            Assert.Equal(500 - approved, await ScalarAsync(data, "select count(*) from flow_tasks where step = 'first' and status = 'open'"));
            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select instance_id, step from flow_history where action = 'enter' group by 1, 2 having count(*) > 1) twice"));

            // The burst went through group commit: some transactions hold more than one approval.
            var grouped = await ScalarAsync(data, "select count(*) from (select xmin::text from flow_history where action = 'approve' group by 1 having count(*) > 1) together");
            output.WriteLine($"transactions with more than one approval {grouped}");
            Assert.True(grouped > 0, "no two approvals shared a commit");
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    [Fact]
    public async Task StopPostgresImmediately_KeepsEveryAcknowledgedWrite_RepeatsNothing_AndRuntimeReconnectsByItself()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Phase(string name) => output.WriteLine($"{clock.Elapsed.TotalSeconds,6:0.0} s  {name}");
        await using var cluster = await TestDatabase.StartClusterAsync();
        var db = await TestDatabase.CreateAsync(cluster);
        await using var sink = await TestHttpListener.StartAsync();
        var deliveries = new ConcurrentDictionary<string, int>();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holding = false;
        var held = 0;
        sink.Handler = async (context, request) =>
        {
            // While the gate is shut a delivery is held: it completes while the database is down, and its outcome must
            // still be written once, not left to a lease that runs out and sends it again.
            if (holding)
            {
                Interlocked.Increment(ref held);
                await gate.Task;
            }

            deliveries.AddOrUpdate(request.Header("Idempotency-Key") ?? "?", 1, (_, n) => n + 1);
            context.Response.StatusCode = StatusCodes.Status200OK;
            await context.Response.WriteAsync("ok", CancellationToken.None);
        };

        var runtime = await RuntimeProcess.StartAsync(db, RuntimeProcess.FreePort(), "node-a",
            "--Platform:OutboxPollMs", "200", "--Platform:PublicFormRequestsPerMinute", "100000");
        try
        {
            string repairToken;
            using (var admin = await runtime.ClientAsync("admin"))
            {
                await PublishAsync(admin, "t_crash", "address == 'crash'", """
                    { "key": "first", "type": "approval", "assignees": { "users": ["cs01"] } },
                    { "key": "second", "type": "approval", "assignees": { "roles": ["warehouse"] } }
                    """, """{ "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "done" }""");
                await PublishAsync(admin, "t_crash_timer", "address == 'timer'", """
                    { "key": "wait_sign", "type": "approval", "assignees": { "users": ["fin01"] }, "deadline": { "minutes": 0.05, "businessTime": false, "action": "auto-approve" } }
                    """, """{ "from": "start", "to": "wait_sign" }, { "from": "wait_sign", "to": "done" }""");
                (await admin.PutAsJsonAsync("/api/admin/outbound-allowlist", new { hosts = new[] { $"127.0.0.1:{sink.Port}" } })).EnsureSuccessStatusCode();
                (await admin.PutAsJsonAsync("/api/apps/after_sales/connectors/sink", new { kind = "http", baseUrl = sink.Url("/hooks"), secret = "k", timeoutSeconds = 5 })).EnsureSuccessStatusCode();
                (await admin.PutAsJsonAsync("/api/apps/after_sales/rules/t_crash_hook", new
                {
                    key = "t_crash_hook", name = "t_crash_hook", entity = "customer", trigger = new { type = "record.created" },
                    when = new { all = new[] { new { field = "address", op = "eq", value = "crash" } } },
                    actions = new[] { new { type = "webhook", connector = "sink", url = "customer-created" } },
                })).EnsureSuccessStatusCode();
                var links = await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/public-forms");
                repairToken = links!.Single(l => l!["form"]!.GetValue<string>() == "repair_form")!["token"]!.GetValue<string>();
            }

            Phase("runtime started, definitions published");
            using var cs = await runtime.ClientAsync("cs01");
            for (var i = 0; i < 40; i++)
            {
                await CreateAsync(cs, "crash", i);
            }

            // Crash recovery replays the WAL written since the last checkpoint: keep that to the stream, not the set-up.
            await using (var setup = NpgsqlDataSource.Create(db))
            {
                await ScalarAsync(setup, "checkpoint");
            }

            using var anonymous = new HttpClient { BaseAddress = runtime.Address, Timeout = TimeSpan.FromSeconds(10) };
            var stream = new WriteStream(cs, anonymous, repairToken);
            stream.Start();
            await stream.WaitForAcknowledgedAsync(15, TimeSpan.FromSeconds(20));

            // Due three seconds from now: while the database is down.
            var timerInstances = new List<string>();
            for (var i = 0; i < 5; i++)
            {
                timerInstances.Add(await CreateAsync(cs, "timer", 100 + i));
            }

            holding = true;
            while (Volatile.Read(ref held) == 0)
            {
                await Task.Delay(10);
            }

            Phase("stream running");
            await cluster.StopImmediatelyAsync();
            Phase("postgres stopped (immediate)");
            holding = false;
            gate.SetResult();

            // A request that committed just before the stop may still be answered; from a second on nothing can be.
            await Task.Delay(TimeSpan.FromSeconds(1));
            var beforeOutage = stream.Acknowledged;
            await Task.Delay(TimeSpan.FromSeconds(4));
            var duringOutage = stream.Acknowledged - beforeOutage;
            await cluster.StartAgainAsync(CancellationToken.None);
            Phase("postgres started again");
            var afterRestart = stream.Acknowledged;

            // The same process serves again: no restart, it reconnected by itself.
            await stream.WaitForAcknowledgedAsync(afterRestart + 15, TimeSpan.FromSeconds(30));
            Phase("15 writes acknowledged after the restart");
            await stream.StopAsync();
            output.WriteLine(string.Join("\n", runtime.Log.TakeLast(40)));
            output.WriteLine($"acknowledged {stream.Acknowledged} (created {stream.CreatedRecords.Count}, submitted {stream.Submitted.Count}, approved {stream.Approved.Count}), "
                + $"failed {stream.Failed} ({string.Join(", ", stream.FailureStatuses.Select(f => $"{f.Key}: {f.Value}"))}), acknowledged during the outage {duringOutage}, held deliveries {held}");
            Assert.Equal(0, duringOutage);
            Assert.True(stream.Failed > 0, "no request failed: the outage did not happen under the stream");

            await using var data = NpgsqlDataSource.Create(db);
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline
                && (await ScalarAsync(data, "select count(*) from flow_instances where flow_key = 't_crash_timer' and status = 'completed'") < timerInstances.Count
                    || await ScalarAsync(data, "select count(*) from outbox where kind = 'webhook' and status <> 'sent'") > 0))
            {
                await Task.Delay(200);
            }

            Phase("timers fired, outbox drained");
            Assert.Equal(timerInstances.Count, await ScalarAsync(data, "select count(*) from flow_instances where flow_key = 't_crash_timer' and status = 'completed'"));
            Assert.Equal(timerInstances.Count, await ScalarAsync(data, "select count(*) from timer_firings f join flow_instances i on i.id = f.instance_id where i.flow_key = 't_crash_timer'"));
            Assert.Equal(timerInstances.Count, await ScalarAsync(data, "select count(*) from flow_history h join flow_instances i on i.id = h.instance_id where i.flow_key = 't_crash_timer' and h.action = 'auto-approve'"));
            foreach (var id in stream.CreatedRecords)
            {
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from records where id = $1::uuid", id));
            }

            foreach (var trackingNo in stream.Submitted)
            {
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from records where entity_key = 'service_request' and data->>'ticket_no' = $1", trackingNo));
            }

            foreach (var task in stream.Approved)
            {
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from flow_tasks where id = $1::uuid and status = 'done' and action = 'approve'", task));
                Assert.Equal(1, await ScalarAsync(data, "select count(*) from flow_history where task_id = $1::uuid and action = 'approve'", task));
            }

            Assert.NotEmpty(stream.CreatedRecords);
            Assert.NotEmpty(stream.Submitted);
            Assert.NotEmpty(stream.Approved);
            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select instance_id, step from flow_history where action = 'enter' group by 1, 2 having count(*) > 1) twice"));
            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select task_id, user_name, kind from notifications where task_id is not null group by 1, 2, 3 having count(*) > 1) twice"));
            Assert.Equal(0, await ScalarAsync(data, "select count(*) from (select i.id from flow_instances i where (select count(*) from flow_tasks t where t.instance_id = i.id and t.status = 'open') <> jsonb_array_length(i.state->'tasks')) broken"));

            // One webhook per created customer, each delivered exactly once (the receiver counts by Idempotency-Key).
            var webhooks = await ScalarAsync(data, "select count(*) from outbox where kind = 'webhook'");
            Assert.Equal(webhooks, await ScalarAsync(data, "select count(*) from outbox where kind = 'webhook' and status = 'sent'"));
            Assert.True(webhooks >= 40 + stream.CreatedRecords.Count);
            Assert.Equal(webhooks, deliveries.Count);
            Assert.All(deliveries, d => Assert.Equal(1, d.Value));
        }
        finally
        {
            await runtime.DisposeAsync();
        }
    }

    /// <summary>
    /// Approves <paramref name="tasks"/> from <paramref name="clients"/> concurrent loops and calls <paramref name="kill"/> once
    /// <paramref name="killAfter"/> approvals were acknowledged (200); the loops stop at the first failed request.
    /// </summary>
    private static async Task ApproveUntilKilledAsync(HttpClient client, IEnumerable<string> tasks, int clients, int killAfter, ConcurrentBag<string> acknowledged, Action kill)
    {
        var queue = new ConcurrentQueue<string>(tasks);
        using var stop = new CancellationTokenSource();
        var workers = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (!stop.IsCancellationRequested && queue.TryDequeue(out var task))
            {
                try
                {
                    var response = await client.PostAsJsonAsync($"/api/tasks/{task}/actions", new { action = "approve" });
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        acknowledged.Add(task);
                    }
                }
                catch (HttpRequestException)
                {
                    return;
                }
                catch (TaskCanceledException)
                {
                    return;
                }
            }
        }).ToList();
        while (acknowledged.Count < killAfter)
        {
            await Task.Delay(2);
        }

        kill();
        stop.Cancel();
        await Task.WhenAll(workers);
    }

    private static async Task PublishAsync(HttpClient admin, string key, string when, string steps, string transitions)
    {
        var flow = JsonNode.Parse($$"""
            { "key": "{{key}}", "name": "{{key}}", "entity": "customer", "startWhen": "{{when}}",
              "steps": [ { "key": "start", "type": "start" }, {{steps}}, { "key": "done", "type": "end" } ], "transitions": [ {{transitions}} ] }
            """);
        (await admin.PutAsJsonAsync($"/api/apps/after_sales/flows/{key}", flow)).EnsureSuccessStatusCode();
    }

    private static async Task<string> CreateAsync(HttpClient client, string address, int i)
    {
        var response = await client.PostAsJsonAsync(Customers, new
        {
            data = new { name = $"测试客户{i}", phone = $"139{i:D8}", tier = "regular", region = "east", address },
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["flow"]!["instanceId"]!.GetValue<string>();
    }

    private static async Task<long> ScalarAsync(NpgsqlDataSource data, string sql, params object[] args)
    {
        await using var cmd = data.CreateCommand(sql);
        foreach (var arg in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = arg });
        }

        return Convert.ToInt64(await cmd.ExecuteScalarAsync());
    }
}
