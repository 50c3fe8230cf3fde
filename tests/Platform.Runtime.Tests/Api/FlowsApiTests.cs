using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Execution;
using Platform.Runtime.Tests.Infrastructure;

namespace Platform.Runtime.Tests.Api;

/// <summary>
/// The flow engine through HTTP against real PostgreSQL: the template's return flow end to end, and each task
/// action and step mode on small flows published to purchase_request (each scoped by its own startWhen).
/// </summary>
[Collection("platform")]
public sealed class FlowsApiTests(PlatformFixture platform)
{
    private const string Records = "/api/apps/after_sales/entities";

    private async Task<JsonObject> CreateReturnAsync(HttpClient client, Func<decimal, bool> price, string kind)
    {
        var orders = await client.GetFromJsonAsync<JsonObject>($"{Records}/sales_order/records?pageSize=200&sort=-createdAt");
        var (order, item) = orders!["items"]!.AsArray()
            .Select(o => (Order: o!, Items: o!["data"]!["items"]!.AsArray()))
            .Where(x => x.Items.Count == 1 && price(x.Items[0]!["unit_price"]!.GetValue<decimal>()))
            .Select(x => (x.Order, x.Items[0]!))
            .First();
        var response = await client.PostAsJsonAsync($"{Records}/return_request/records", new
        {
            data = new Dictionary<string, object>
            {
                ["order_no"] = order["data"]!["order_no"]!.GetValue<string>(),
                ["customer_name"] = "王小明",
                ["phone"] = "13912345678",
                ["kind"] = kind,
                ["reason"] = "damaged",
                ["images"] = new[] { "file-1" },
                ["quantity"] = 1,
            },
        });
        return await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    private static async Task<JsonObject> TaskForAsync(HttpClient client, string recordId, string? step = null)
    {
        var tasks = await client.GetFromJsonAsync<JsonArray>("/api/tasks?box=todo&limit=500");
        return tasks!.Select(t => t!.AsObject()).First(t => t["recordId"]!.GetValue<string>() == recordId && (step is null || t["step"]!.GetValue<string>() == step));
    }

    private static async Task<JsonObject> ActAsync(HttpClient client, JsonObject task, object body, HttpStatusCode expected = HttpStatusCode.OK) =>
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"/api/tasks/{task["id"]}/actions", body), expected);

    private async Task<JsonObject> InstanceAsync(HttpClient client, JsonObject record) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{record["flow"]!["instanceId"]}"))!;

    /// <summary>Publishes a test flow on purchase_request that starts only for records whose reason is <paramref name="key"/>.</summary>
    private async Task PublishAsync(string key, string steps, string transitions)
    {
        using var admin = await platform.ClientForAsync("admin");
        var flow = JsonNode.Parse($$"""
            { "key": "{{key}}", "name": "测试 {{key}}", "entity": "purchase_request", "startWhen": "reason == '{{key}}'",
              "steps": [ { "key": "start", "type": "start" }, {{steps}}, { "key": "done", "type": "end" } ],
              "transitions": [ {{transitions}} ] }
            """)!;
        var response = await admin.PutAsJsonAsync($"/api/apps/after_sales/flows/{key}", flow);
        await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
    }

    private async Task<JsonObject> CreatePurchaseAsync(HttpClient client, string reason)
    {
        var part = (await client.GetFromJsonAsync<JsonObject>($"{Records}/spare_part/records?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();
        var response = await client.PostAsJsonAsync($"{Records}/purchase_request/records", new { data = new { part, quantity = 3, reason } });
        return await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    [Fact]
    public async Task ReturnOver500_PassesSupervisorQcAndRefund_AndEndsCompleted()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var record = await CreateReturnAsync(cs, p => p > 500, "return");
        var id = record["id"]!.GetValue<string>();
        Assert.Equal("running", record["flow"]!["status"]!.GetValue<string>());
        Assert.Equal(["cs_review"], record["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal("pending", record["data"]!["status"]!.GetValue<string>());

        var task = await TaskForAsync(cs, id);
        Assert.StartsWith("退换货流程 · RT", task["title"]!.GetValue<string>());
        await ActAsync(cs, task, new { action = "approve", comment = "资料齐全" });
        foreach (var (user, step) in new[] { ("sup01", "supervisor_approval"), ("wh01", "warehouse_qc"), ("fin01", "finance_refund") })
        {
            using var client = await platform.ClientForAsync(user);
            await ActAsync(client, await TaskForAsync(client, id, step), new { action = "approve" });
        }

        var instance = await InstanceAsync(cs, record);
        Assert.Equal("completed", instance["status"]!.GetValue<string>());
        Assert.Equal(["start", "approve", "approve", "approve", "approve", "end"],
            instance["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()).Where(a => a != "enter"));
        var stored = await cs.GetFromJsonAsync<JsonObject>($"{Records}/return_request/records/{id}");
        Assert.Equal("refunded", stored!["data"]!["status"]!.GetValue<string>());
        Assert.Equal("completed", stored["flow"]!["status"]!.GetValue<string>());
        var done = await cs.GetFromJsonAsync<JsonArray>("/api/tasks?box=done");
        Assert.Contains(done!, t => t!["recordId"]!.GetValue<string>() == id && t["action"]!.GetValue<string>() == "approve");
    }

    [Fact]
    public async Task Return500OrLess_SkipsSupervisor_AndExchangeShipsReplacement()
    {
        using var cs = await platform.ClientForAsync("cs02");
        var record = await CreateReturnAsync(cs, p => p <= 500, "exchange");
        var id = record["id"]!.GetValue<string>();
        await ActAsync(cs, await TaskForAsync(cs, id), new { action = "approve" });
        using var wh = await platform.ClientForAsync("wh01");
        var qc = await ActAsync(wh, await TaskForAsync(wh, id, "warehouse_qc"), new { action = "approve" });
        Assert.Equal(["ship_replacement"], qc["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        await ActAsync(wh, await TaskForAsync(wh, id, "ship_replacement"), new { action = "approve" });
        var stored = await cs.GetFromJsonAsync<JsonObject>($"{Records}/return_request/records/{id}");
        Assert.Equal("shipped", stored!["data"]!["status"]!.GetValue<string>());
        var steps = (await InstanceAsync(cs, record))["history"]!.AsArray().Select(h => h!["step"]!.GetValue<string>()).ToList();
        Assert.DoesNotContain("supervisor_approval", steps);
    }

    [Fact]
    public async Task Rejection_EndsRejected_WithCommentOnTimeline_AndNotifiesInitiator()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var record = await CreateReturnAsync(cs, _ => true, "return");
        var id = record["id"]!.GetValue<string>();
        using var other = await platform.ClientForAsync("cs02");
        await ActAsync(other, await TaskForAsync(other, id), new { action = "reject", comment = "商品已超过退货期限" });
        var instance = await InstanceAsync(cs, record);
        Assert.Equal("rejected", instance["status"]!.GetValue<string>());
        var end = instance["history"]!.AsArray().Last()!;
        Assert.Equal("end", end["action"]!.GetValue<string>());
        Assert.Equal("商品已超过退货期限", end["comment"]!.GetValue<string>());
        Assert.Empty(instance["tasks"]!.AsArray());
        var stored = await cs.GetFromJsonAsync<JsonObject>($"{Records}/return_request/records/{id}");
        Assert.Equal("rejected", stored!["data"]!["status"]!.GetValue<string>());
        var bell = await cs.GetFromJsonAsync<JsonObject>("/api/notifications?unread=true");
        Assert.Contains(bell!["items"]!.AsArray(), n => n!["kind"]!.GetValue<string>() == "result" && n["body"]?.GetValue<string>() == "商品已超过退货期限");
        using var anonymous = platform.Anonymous();
        var requestNo = record["data"]!["request_no"]!.GetValue<string>();
        var track = await ApiAssert.JsonAsync(await anonymous.GetAsync($"/api/public/track/{requestNo}?phone=13912345678"), HttpStatusCode.OK);
        Assert.Equal("rejected", track["status"]!.GetValue<string>());
        var texts = track["timeline"]!.AsArray().Select(t => t!["text"]!.GetValue<string>()).ToList();
        Assert.Equal("已提交申请", texts[0]);
        Assert.Contains("申请被驳回：商品已超过退货期限", texts);
        await ApiAssert.JsonAsync(await anonymous.GetAsync($"/api/public/track/{requestNo}?phone=13900000000"), HttpStatusCode.NotFound);
        await ApiAssert.JsonAsync(await anonymous.GetAsync($"/api/public/track/RT00000000{requestNo[^4..]}?phone=13912345678"), HttpStatusCode.NotFound);
        var audit = await cs.GetFromJsonAsync<JsonArray>($"{Records}/return_request/records/{id}/audit");
        Assert.Contains(audit!, a => a!["changes"]!["status"]?["after"]?.GetValue<string>() == "rejected");
    }

    [Fact]
    public async Task Act_Returns403_ForAnotherUsersTask_And404_ForUnknownTask()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var record = await CreateReturnAsync(cs, _ => true, "return");
        var task = await TaskForAsync(cs, record["id"]!.GetValue<string>());
        using var wh = await platform.ClientForAsync("wh01");
        await ActAsync(wh, task, new { action = "approve" }, HttpStatusCode.Forbidden);
        await ApiAssert.JsonAsync(await cs.PostAsJsonAsync($"/api/tasks/{Guid.NewGuid()}/actions", new { action = "approve" }), HttpStatusCode.NotFound);
        await ApiAssert.JsonAsync(await cs.PostAsJsonAsync($"/api/tasks/{task["id"]}/actions", new { action = "explode" }), (HttpStatusCode)422);
    }

    [Fact]
    public async Task TwoApproversAtOnce_ExactlyOneWins_TheOtherGets409()
    {
        using var cs1 = await platform.ClientForAsync("cs01");
        using var cs2 = await platform.ClientForAsync("cs02");
        for (var round = 0; round < 3; round++)
        {
            var record = await CreateReturnAsync(cs1, _ => true, "exchange");
            var task = await TaskForAsync(cs1, record["id"]!.GetValue<string>());
            var responses = await Task.WhenAll(
                cs1.PostAsJsonAsync($"/api/tasks/{task["id"]}/actions", new { action = "approve" }),
                cs2.PostAsJsonAsync($"/api/tasks/{task["id"]}/actions", new { action = "reject", comment = "并发" }));
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
            var instance = await InstanceAsync(cs1, record);
            Assert.Equal(1, instance["history"]!.AsArray().Count(h => h!["action"]!.GetValue<string>() is "approve" or "reject"));
        }
    }

    [Fact]
    public async Task Countersign_NeedsEveryone_AndOrSignTakesTheFirst()
    {
        await PublishAsync("t_countersign", """{ "key": "sign", "type": "approval", "mode": "countersign", "assignees": { "users": ["cs01", "wh01"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }""");
        await PublishAsync("t_orsign", """{ "key": "sign", "type": "approval", "mode": "or-sign", "assignees": { "users": ["cs01", "wh01"] } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }""");
        using var cs = await platform.ClientForAsync("cs01");
        using var wh = await platform.ClientForAsync("wh01");

        var counter = await CreatePurchaseAsync(cs, "t_countersign");
        var id = counter["id"]!.GetValue<string>();
        var first = await ActAsync(cs, await TaskForAsync(cs, id), new { action = "approve" });
        Assert.Equal("running", first["status"]!.GetValue<string>());
        var second = await ActAsync(wh, await TaskForAsync(wh, id), new { action = "approve" });
        Assert.Equal("completed", second["status"]!.GetValue<string>());

        var or = await CreatePurchaseAsync(cs, "t_orsign");
        var orId = or["id"]!.GetValue<string>();
        var whTask = await TaskForAsync(wh, orId);
        var decided = await ActAsync(cs, await TaskForAsync(cs, orId), new { action = "approve" });
        Assert.Equal("completed", decided["status"]!.GetValue<string>());
        await ActAsync(wh, whTask, new { action = "approve" }, HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task ParallelJoin_AndGatewayDefault()
    {
        await PublishAsync("t_parallel", """
            { "key": "split", "type": "parallel" },
            { "key": "left", "type": "approval", "assignees": { "users": ["cs01"] } },
            { "key": "right", "type": "approval", "assignees": { "users": ["wh01"] } },
            { "key": "join", "type": "join" },
            { "key": "gw", "type": "gateway" },
            { "key": "big", "type": "approval", "assignees": { "users": ["fin01"] } },
            { "key": "small", "type": "approval", "assignees": { "users": ["sup01"] } }
            """, """
            { "from": "start", "to": "split" }, { "from": "split", "to": "left" }, { "from": "split", "to": "right" },
            { "from": "left", "to": "join" }, { "from": "right", "to": "join" }, { "from": "join", "to": "gw" },
            { "from": "gw", "to": "big", "condition": "quantity > 100" }, { "from": "gw", "to": "small", "isDefault": true },
            { "from": "big", "to": "done" }, { "from": "small", "to": "done" }
            """);
        using var cs = await platform.ClientForAsync("cs01");
        using var wh = await platform.ClientForAsync("wh01");
        var record = await CreatePurchaseAsync(cs, "t_parallel");
        var id = record["id"]!.GetValue<string>();
        Assert.Equal(["left", "right"], record["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()).Order());
        var afterRight = await ActAsync(wh, await TaskForAsync(wh, id), new { action = "approve" });
        Assert.DoesNotContain("gw", afterRight["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        var afterLeft = await ActAsync(cs, await TaskForAsync(cs, id), new { action = "approve" });
        Assert.Equal(["small"], afterLeft["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
    }

    [Fact]
    public async Task Start_StoresTheTaskCancelled_WhenTheSameCommandOpensAndCancelsIt()
    {
        // The split enters the approval (its task opened) and then the end step, which cancels that task: one command,
        // one statement for the task rows, so the task must be written as cancelled and never show as open.
        await PublishAsync("t_open_close", """
            { "key": "split", "type": "parallel" },
            { "key": "doomed", "type": "approval", "assignees": { "users": ["cs01"] } }
            """, """
            { "from": "start", "to": "split" }, { "from": "split", "to": "doomed" }, { "from": "split", "to": "done" }, { "from": "doomed", "to": "done" }
            """);
        using var cs = await platform.ClientForAsync("cs01");
        var record = await CreatePurchaseAsync(cs, "t_open_close");
        Assert.Equal("completed", record["flow"]!["status"]!.GetValue<string>());

        await using var data = Npgsql.NpgsqlDataSource.Create(platform.ConnectionString);
        await using var cmd = data.CreateCommand("select status, closed_by, action, closed_at is not null from flow_tasks where record_id = $1 and step = 'doomed'");
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = Guid.Parse(record["id"]!.GetValue<string>()) });
        await using var reader = await cmd.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(("cancelled", "system", "cancelled", true), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetBoolean(3)));
        Assert.False(await reader.ReadAsync());
        var todo = await cs.GetFromJsonAsync<JsonArray>("/api/tasks?box=todo&limit=500");
        Assert.DoesNotContain(todo!, t => t!["recordId"]!.GetValue<string>() == record["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Transfer_ReturnToStep_AddSigner_AndWithdraw()
    {
        await PublishAsync("t_actions", """
            { "key": "first", "type": "approval", "assignees": { "users": ["cs01"] } },
            { "key": "second", "type": "approval", "assignees": { "users": ["wh01"] } }
            """, """{ "from": "start", "to": "first" }, { "from": "first", "to": "second" }, { "from": "second", "to": "done" }""");
        using var cs = await platform.ClientForAsync("cs01");
        using var cs2 = await platform.ClientForAsync("cs02");
        using var wh = await platform.ClientForAsync("wh01");
        using var fin = await platform.ClientForAsync("fin01");

        var record = await CreatePurchaseAsync(cs, "t_actions");
        var id = record["id"]!.GetValue<string>();
        await ActAsync(cs, await TaskForAsync(cs, id), new { action = "transfer", to = "cs02", comment = "请你处理" });
        Assert.DoesNotContain((await cs.GetFromJsonAsync<JsonArray>("/api/tasks"))!, t => t!["recordId"]!.GetValue<string>() == id);
        await ActAsync(cs2, await TaskForAsync(cs2, id), new { action = "add-signer", to = "fin01", position = "before" });
        await ActAsync(fin, await TaskForAsync(fin, id), new { action = "approve" });
        var moved = await ActAsync(cs2, await TaskForAsync(cs2, id), new { action = "approve" });
        Assert.Equal(["second"], moved["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));

        var returned = await ActAsync(wh, await TaskForAsync(wh, id), new { action = "return", to = "first", comment = "数量不对" });
        Assert.Equal(["first"], returned["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        await ActAsync(cs, await TaskForAsync(cs, id), new { action = "approve" });
        var instanceId = record["flow"]!["instanceId"]!.GetValue<string>();
        var withdrawn = await ApiAssert.JsonAsync(await cs.PostAsJsonAsync($"/api/flows/instances/{instanceId}/actions", new { action = "withdraw" }), HttpStatusCode.OK);
        Assert.Equal(["first"], withdrawn["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));

        var fresh = await CreatePurchaseAsync(cs2, "t_actions");
        var freshInstance = fresh["flow"]!["instanceId"]!.GetValue<string>();
        await ApiAssert.JsonAsync(await wh.PostAsJsonAsync($"/api/flows/instances/{freshInstance}/actions", new { action = "withdraw" }), HttpStatusCode.Forbidden);
        var cancelled = await ApiAssert.JsonAsync(await cs2.PostAsJsonAsync($"/api/flows/instances/{freshInstance}/actions", new { action = "withdraw" }), HttpStatusCode.OK);
        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        var history = (await cs.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{instanceId}"))!["history"]!.AsArray().Select(h => h!["action"]!.GetValue<string>()).ToList();
        Assert.Contains("transfer", history);
        Assert.Contains("add-signer", history);
        Assert.Contains("return", history);
        Assert.Contains("withdraw", history);
    }

    [Fact]
    public async Task Publish_RefusesUnreachableStep_GatewayWithoutDefault_AndBadAssigneeExpression()
    {
        using var admin = await platform.ClientForAsync("admin");
        var flow = JsonNode.Parse("""
            { "key": "t_broken", "name": "坏流程", "entity": "purchase_request", "steps": [
              { "key": "start", "type": "start" }, { "key": "gw", "type": "gateway" },
              { "key": "a", "type": "approval", "assignees": { "expression": "quantity >" } },
              { "key": "island", "type": "approval", "assignees": { "roles": ["finance"] } },
              { "key": "end", "type": "end" } ],
              "transitions": [ { "from": "start", "to": "gw" }, { "from": "gw", "to": "a", "condition": "quantity > 1" }, { "from": "a", "to": "end" }, { "from": "island", "to": "end" } ] }
            """);
        var response = await admin.PutAsJsonAsync("/api/apps/after_sales/flows/t_broken", flow);
        var problem = await ApiAssert.JsonAsync(response, (HttpStatusCode)422);
        var errors = problem["errors"]!.AsObject();
        string Messages(string path) => errors.ContainsKey(path) ? string.Join(" ", errors[path]!.AsArray().Select(m => m!.GetValue<string>())) : errors.ToJsonString();
        Assert.Contains("无法从开始步骤到达", Messages("$.steps[3]"));
        Assert.Contains("默认分支", Messages("$.steps[1].transitions"));
        Assert.Contains("无法编译", Messages("$.steps[2].assignees.expression"));
        var versions = await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/flows/t_broken/versions");
        Assert.Empty(versions!);
    }

    [Fact]
    public async Task Deadline_AutoApproves_WhenTheTimerFires_AndVersionsStayWithInstances()
    {
        await PublishAsync("t_deadline", """{ "key": "sign", "type": "approval", "assignees": { "users": ["wh01"] }, "deadline": { "hours": 2, "businessTime": false, "action": "auto-approve" } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }""");
        using var cs = await platform.ClientForAsync("cs01");
        var record = await CreatePurchaseAsync(cs, "t_deadline");
        var instance = await InstanceAsync(cs, record);
        var timer = Assert.Single(instance["timers"]!.AsArray());
        Assert.Equal("deadline", timer!["kind"]!.GetValue<string>());

        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        await worker.FireDueAsync(CancellationToken.None, DateTimeOffset.UtcNow.AddHours(3));
        var after = await InstanceAsync(cs, record);
        Assert.Equal("completed", after["status"]!.GetValue<string>());
        Assert.Contains(after["history"]!.AsArray(), h => h!["action"]!.GetValue<string>() == "auto-approve");
        Assert.Empty(after["timers"]!.AsArray());
        Assert.Equal(1, await platform.CountAsync("select count(*) from timer_firings where instance_id = $1", Guid.Parse(instance["id"]!.GetValue<string>())));
    }

    [Fact]
    public async Task PublishingANewVersion_KeepsRunningInstancesOnTheirVersion_UntilMigrated()
    {
        await PublishAsync("t_versions", """{ "key": "check", "type": "approval", "assignees": { "users": ["wh01"] } }""",
            """{ "from": "start", "to": "check" }, { "from": "check", "to": "done" }""");
        using var cs = await platform.ClientForAsync("cs01");
        using var admin = await platform.ClientForAsync("admin");
        var record = await CreatePurchaseAsync(cs, "t_versions");
        await PublishAsync("t_versions", """{ "key": "review", "type": "approval", "assignees": { "users": ["wh01"] } }""",
            """{ "from": "start", "to": "review" }, { "from": "review", "to": "done" }""");
        var versions = await admin.GetFromJsonAsync<JsonArray>("/api/apps/after_sales/flows/t_versions/versions");
        Assert.Equal(2, versions!.Count);
        Assert.Equal(1, (await InstanceAsync(cs, record))["version"]!.GetValue<int>());

        var refused = await admin.PostAsJsonAsync("/api/apps/after_sales/flows/t_versions/migrate", new { toVersion = 2, mapping = new { } });
        var problem = await ApiAssert.JsonAsync(refused, (HttpStatusCode)422);
        Assert.Contains("check", problem["errors"]!.ToJsonString());
        Assert.Equal(1, (await InstanceAsync(cs, record))["version"]!.GetValue<int>());

        var migrated = await ApiAssert.JsonAsync(
            await admin.PostAsJsonAsync("/api/apps/after_sales/flows/t_versions/migrate", new { toVersion = 2, mapping = new { check = "review" } }), HttpStatusCode.OK);
        Assert.True(migrated["migrated"]!.GetValue<int>() >= 1);
        var instance = await InstanceAsync(cs, record);
        Assert.Equal(2, instance["version"]!.GetValue<int>());
        Assert.Equal(["review"], instance["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        using var wh = await platform.ClientForAsync("wh01");
        var done = await ActAsync(wh, await TaskForAsync(wh, record["id"]!.GetValue<string>(), "review"), new { action = "approve" });
        Assert.Equal("completed", done["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Simulate_ShowsPathAndAssignees_AndWritesNothing()
    {
        using var cs = await platform.ClientForAsync("analyst");
        var before = await platform.CountAsync("select count(*) from flow_instances");
        var response = await cs.PostAsJsonAsync("/api/apps/after_sales/flows/return_flow/simulate", new
        {
            data = new { amount = 800, kind = "return", reason = "quality" },
            decisions = new { finance_refund = "reject" },
        });
        var run = await ApiAssert.JsonAsync(response, HttpStatusCode.OK);
        Assert.Equal("rejected", run["status"]!.GetValue<string>());
        Assert.Equal(["start", "cs_review", "amount_check", "supervisor_approval", "warehouse_qc", "kind_check", "finance_refund"],
            run["path"]!.AsArray().Select(p => p!["step"]!.GetValue<string>()));
        Assert.Equal(before, await platform.CountAsync("select count(*) from flow_instances"));
    }

    [Fact]
    public async Task TimerWorkers_OnSeveralConnections_FireEveryTimerExactlyOnce()
    {
        var tag = Guid.NewGuid();
        await using (var data = Npgsql.NpgsqlDataSource.Create(platform.ConnectionString))
        {
            await using var insert = data.CreateCommand(
                "insert into timers (id, instance_id, step, kind, due_at) select gen_random_uuid(), $1, 'x', 'deadline', now() - interval '1 minute' from generate_series(1, 300)");
            insert.Parameters.Add(new Npgsql.NpgsqlParameter { Value = tag });
            await insert.ExecuteNonQueryAsync();
        }

        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        var fired = await Task.WhenAll(Enumerable.Range(0, 6).Select(async _ =>
        {
            var total = 0;
            int n;
            while ((n = await worker.FireDueAsync(CancellationToken.None)) > 0)
            {
                total += n;
            }

            return total;
        }));
        // The platform's own timer workers poll the same table meanwhile and may take some batches: together, each once.
        Assert.InRange(fired.Sum(), 0, 300);
        for (var wait = 0; wait < 50 && await platform.CountAsync("select count(*) from timers where instance_id = $1", tag) > 0; wait++)
        {
            await Task.Delay(100);
        }

        Assert.Equal(300, await platform.CountAsync("select count(*) from timer_firings where instance_id = $1", tag));
        Assert.Equal(0, await platform.CountAsync("select count(*) from timers where instance_id = $1", tag));
    }

    [Fact]
    public async Task Deadline_PausesAndResumes_WhenARecordUpdateChangesThePauseCondition()
    {
        await PublishAsync("t_pause", """{ "key": "sign", "type": "approval", "assignees": { "users": ["wh01"] }, "deadline": { "hours": 2, "businessTime": false, "pauseWhen": "quantity == 99" } }""",
            """{ "from": "start", "to": "sign" }, { "from": "sign", "to": "done" }""");
        using var cs = await platform.ClientForAsync("cs01");
        var record = await CreatePurchaseAsync(cs, "t_pause");
        var url = $"{Records}/purchase_request/records/{record["id"]}";
        Assert.Single((await InstanceAsync(cs, record))["timers"]!.AsArray());

        var paused = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(new { data = new { quantity = 99 } }) };
        paused.Headers.TryAddWithoutValidation("If-Match", "1");
        await ApiAssert.JsonAsync(await cs.SendAsync(paused), HttpStatusCode.OK);
        var during = await InstanceAsync(cs, record);
        Assert.Empty(during["timers"]!.AsArray());
        Assert.Contains(during["history"]!.AsArray(), h => h!["action"]!.GetValue<string>() == "pause");

        var resumed = new HttpRequestMessage(HttpMethod.Patch, url) { Content = JsonContent.Create(new { data = new { quantity = 5 } }) };
        resumed.Headers.TryAddWithoutValidation("If-Match", "2");
        await ApiAssert.JsonAsync(await cs.SendAsync(resumed), HttpStatusCode.OK);
        var after = await InstanceAsync(cs, record);
        Assert.Single(after["timers"]!.AsArray());
        Assert.Contains(after["history"]!.AsArray(), h => h!["action"]!.GetValue<string>() == "resume");
    }
}
