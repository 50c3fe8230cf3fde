using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Flows;

/// <summary>
/// Kills the runtime with SIGKILL in the middle of a stream of approvals, starts it again on the same database,
/// and checks: every acknowledged action is there, no step was entered twice, no notification written twice,
/// and timers that fell due while it was down fire after the restart.
/// </summary>
[Collection("postgres")]
public sealed class CrashRecoveryTests(PostgresFixture postgres)
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
            var queue = new ConcurrentQueue<string>(tasks);
            using var stop = new CancellationTokenSource();
            var workers = Enumerable.Range(0, 4).Select(async _ =>
            {
                while (!stop.IsCancellationRequested && queue.TryDequeue(out var task))
                {
                    try
                    {
                        var response = await approver.PostAsJsonAsync($"/api/tasks/{task}/actions", new { action = "approve" });
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
            while (acknowledged.Count < 10)
            {
                await Task.Delay(5);
            }

            runtime.Kill();
            stop.Cancel();
            await Task.WhenAll(workers);
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
