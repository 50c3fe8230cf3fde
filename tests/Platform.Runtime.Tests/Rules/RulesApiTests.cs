using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Execution;
using Platform.Runtime.Tests.Api;
using Platform.Runtime.Tests.Infrastructure;
using Platform.Runtime.Tests.Ui;

namespace Platform.Runtime.Tests.Rules;

/// <summary>
/// The template's rules through HTTP against real PostgreSQL: automatic approval, QC notifications in the outbox,
/// automatic dispatch, atomic stock deduction under concurrency, loop and depth limits, dry-run and publish checks.
/// </summary>
[Collection("platform")]
public sealed class RulesApiTests(PlatformFixture platform)
{
    private const string Records = "/api/apps/after_sales/entities";

    private static string Today(int minusDays) => DateTimeOffset.UtcNow.ToOffset(TimeSpan.FromHours(8)).AddDays(-minusDays).ToString("yyyy-MM-dd");

    private async Task<(string OrderNo, JsonObject Customer)> CreateOrderAsync(HttpClient client, int daysAgo, decimal unitPrice)
    {
        var customers = await client.GetFromJsonAsync<JsonObject>($"{Records}/customer/records?pageSize=200");
        var customer = customers!["items"]!.AsArray().Select(c => c!.AsObject()).First(c => c["data"]!["email"] is not null);
        var product = (await client.GetFromJsonAsync<JsonObject>($"{Records}/product/records?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();
        var orderNo = $"SO-RULE-{Guid.NewGuid():N}"[..24];
        var response = await client.PostAsJsonAsync($"{Records}/sales_order/records", new
        {
            data = new
            {
                order_no = orderNo, customer = customer["id"]!.GetValue<string>(), purchased_at = Today(daysAgo), channel = "jd",
                items = new[] { new { product, quantity = 2, unit_price = unitPrice } },
            },
        });
        await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
        return (orderNo, customer);
    }

    private static async Task<JsonObject> CreateReturnAsync(HttpClient client, string orderNo, string reason)
    {
        var response = await client.PostAsJsonAsync($"{Records}/return_request/records", new
        {
            data = new Dictionary<string, object>
            {
                ["order_no"] = orderNo, ["customer_name"] = "周小燕", ["phone"] = "13912345678", ["kind"] = "return", ["reason"] = reason,
                ["images"] = new[] { "file-1" }, ["description"] = "外壳破损", ["quantity"] = 1,
            },
        });
        return await ApiAssert.JsonAsync(response, HttpStatusCode.Created);
    }

    private static async Task<JsonObject> InstanceAsync(HttpClient client, JsonObject record) =>
        (await client.GetFromJsonAsync<JsonObject>($"/api/flows/instances/{record["flow"]!["instanceId"]}"))!;

    private static async Task<JsonObject> TaskForAsync(HttpClient client, string recordId, string step)
    {
        var tasks = await client.GetFromJsonAsync<JsonArray>("/api/tasks?box=todo&limit=500");
        return tasks!.Select(t => t!.AsObject()).First(t => t["recordId"]!.GetValue<string>() == recordId && t["step"]!.GetValue<string>() == step);
    }

    private static async Task ApproveAsync(HttpClient client, string recordId, string step) =>
        await ApiAssert.JsonAsync(await client.PostAsJsonAsync($"/api/tasks/{(await TaskForAsync(client, recordId, step))["id"]}/actions", new { action = "approve" }), HttpStatusCode.OK);

    private async Task<JsonArray> FiringsAsync(string query)
    {
        using var admin = await platform.ClientForAsync("admin");
        return (await admin.GetFromJsonAsync<JsonArray>($"/api/apps/after_sales/rules/firings?{query}"))!;
    }

    [Fact]
    public async Task NoReasonReturn_IsApprovedAtCsReviewByTheRule_WhenPurchasedWithinSevenDays()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var (orderNo, _) = await CreateOrderAsync(cs, 3, 199m);
        var record = await CreateReturnAsync(cs, orderNo, "no_reason");

        Assert.Equal(["warehouse_qc"], record["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        var history = (await InstanceAsync(cs, record))["history"]!.AsArray();
        var approval = history.Single(h => h!["step"]!.GetValue<string>() == "cs_review" && h["action"]!.GetValue<string>() == "approve");
        Assert.Equal("rule:auto_approve_no_reason", approval!["by"]!.GetValue<string>());
        Assert.Contains("七天无理由", approval["comment"]!.GetValue<string>());

        var firing = (await FiringsAsync($"rule=auto_approve_no_reason&record={record["id"]}")).Single()!;
        Assert.Equal("fired", firing["status"]!.GetValue<string>());
        Assert.Equal("step.entered", firing["trigger"]!.GetValue<string>());
    }

    [Fact]
    public async Task NoReasonReturn_StaysAtCsReview_WhenPurchasedMoreThanSevenDaysAgo()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var (orderNo, _) = await CreateOrderAsync(cs, 20, 199m);
        var record = await CreateReturnAsync(cs, orderNo, "no_reason");

        Assert.Equal(["cs_review"], record["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        var firing = (await FiringsAsync($"rule=auto_approve_no_reason&record={record["id"]}")).Single()!;
        Assert.Equal("condition-false", firing["status"]!.GetValue<string>());
        Assert.False(firing["conditionResult"]!.GetValue<bool>());
    }

    [Fact]
    public async Task QcPass_QueuesSmsToFinanceAndEmailToTheCustomer_InTheOutbox()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var (orderNo, customer) = await CreateOrderAsync(cs, 30, 120m);
        var record = await CreateReturnAsync(cs, orderNo, "damaged");
        var id = record["id"]!.GetValue<string>();
        var requestNo = record["data"]!["request_no"]!.GetValue<string>();
        await ApproveAsync(cs, id, "cs_review");
        using var wh = await platform.ClientForAsync("wh01");
        await ApproveAsync(wh, id, "warehouse_qc");

        var sms = await platform.CountAsync("select count(*) from outbox where kind = 'sms' and payload->>'text' like '%' || $1 || '%' and payload->>'to' = (select phone from users where user_name = 'fin01')", requestNo);
        Assert.Equal(1, sms);
        var email = await platform.CountAsync("select count(*) from outbox where kind = 'email' and payload->>'subject' like '%' || $1 || '%已通过质检' and payload->>'to' = $2", requestNo, customer["data"]!["email"]!.GetValue<string>());
        Assert.Equal(1, email);

        // The customer's e-mail carries the signed tracking link, which opens this request.
        var body = await platform.ScalarAsync("select payload->>'body' from outbox where kind = 'email' and payload->>'subject' like '%已通过质检' and payload->>'subject' like '%' || $1 || '%'", requestNo);
        var token = System.Text.RegularExpressions.Regex.Match(body!, @"/t/([A-Za-z0-9_-]{50})").Groups[1].Value;
        using var anonymous = platform.Anonymous();
        var opened = await ApiAssert.JsonAsync(await anonymous.GetAsync($"/api/public/links/{token}"), HttpStatusCode.OK);
        Assert.Equal(requestNo, opened["trackingNo"]!.GetValue<string>());
    }

    [Fact]
    public async Task AutoDispatch_AssignsTheActiveEngineerOfTheRegionWithTheSkillAndFewestOpenJobs()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var engineers = (await cs.GetFromJsonAsync<JsonObject>($"{Records}/engineer/records?pageSize=200&filter=region:eq:south&filter=active:eq:true&filter=skills:contains:basic_repair"))!["items"]!.AsArray();
        Assert.NotEmpty(engineers);
        var expected = engineers.Select(e => e!.AsObject())
            .OrderBy(e => e["data"]!["open_jobs"]?.GetValue<decimal>() ?? 0).ThenBy(e => e["createdAt"]!.GetValue<DateTimeOffset>()).First();
        var openJobsBefore = expected["data"]!["open_jobs"]?.GetValue<decimal>() ?? 0;

        var created = await cs.PostAsJsonAsync($"{Records}/service_request/records", new
        {
            data = new { type = "repair", customer_name = "黄海", phone = "13800138000", description = "冰箱不制冷", region = "south", address = "广州市天河区体育西路 1 号", required_skill = "basic_repair", priority = "normal" },
        });
        var record = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        var id = record["id"]!.GetValue<string>();
        await ApproveAsync(cs, id, "accept");

        var stored = (await cs.GetFromJsonAsync<JsonObject>($"{Records}/service_request/records/{id}"))!;
        Assert.Equal(expected["id"]!.GetValue<string>(), stored["data"]!["engineer"]!.GetValue<string>());
        Assert.Equal(expected["data"]!["user_name"]!.GetValue<string>(), stored["data"]!["engineer_user"]!.GetValue<string>());
        Assert.Equal(["execute"], stored["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));

        var engineer = (await cs.GetFromJsonAsync<JsonObject>($"{Records}/engineer/records/{expected["id"]}"))!;
        Assert.True(openJobsBefore + 1 == engineer["data"]!["open_jobs"]!.GetValue<decimal>(), (await FiringsAsync($"record={id}")).ToJsonString());

        var dispatch = (await FiringsAsync($"rule=auto_dispatch&record={id}")).Single()!;
        var result = dispatch["actions"]![0]!["result"]!;
        Assert.Equal(engineers.Count, result["candidates"]!.AsArray().Count);
        Assert.Equal(expected["id"]!.GetValue<string>(), result["chosen"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(result["reason"]!.GetValue<string>()));
    }

    [Fact]
    public async Task AutoDispatch_LeavesTheTaskForManualDispatch_WhenNoEngineerQualifies()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var created = await cs.PostAsJsonAsync($"{Records}/service_request/records", new
        {
            data = new { type = "install", customer_name = "黄海", phone = "13800138000", description = "安装洗衣机", region = "west", address = "成都市武侯区 2 号", priority = "normal" },
        });
        var id = (await ApiAssert.JsonAsync(created, HttpStatusCode.Created))["id"]!.GetValue<string>();
        await ApproveAsync(cs, id, "accept");

        var stored = (await cs.GetFromJsonAsync<JsonObject>($"{Records}/service_request/records/{id}"))!;
        Assert.Equal(["dispatch"], stored["flow"]!["activeSteps"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Null(stored["data"]!["engineer"]);
        var result = (await FiringsAsync($"rule=auto_dispatch&record={id}")).Single()!["actions"]![0]!["result"]!;
        Assert.Null(result["chosen"]);
        Assert.Empty(result["candidates"]!.AsArray());
        Assert.True(await platform.CountAsync("select count(*) from notifications where user_name = 'cs01' and body like '%manual dispatch%' and link like '%' || $1", id) >= 1);
    }

    [Fact]
    public async Task FiftyConcurrentPartUsages_LowerStockByTheirTotal_AndCrossingSafetyStockCreatesOnePurchaseRequest()
    {
        using var wh = await platform.ClientForAsync("wh01");
        var part = await ApiAssert.JsonAsync(await wh.PostAsJsonAsync($"{Records}/spare_part/records", new
        {
            data = new { part_no = $"P-{Guid.NewGuid():N}"[..16], name = "压缩机继电器", stock = 100, safety_stock = 80, unit_cost = 35 },
        }), HttpStatusCode.Created);
        var partId = part["id"]!.GetValue<string>();
        var ticket = (await wh.GetFromJsonAsync<JsonObject>($"{Records}/service_request/records?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();

        var quantities = Enumerable.Range(0, 50).Select(i => i % 3 + 1).ToList();
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => platform.ClientForAsync("wh01")));
        var responses = await Task.WhenAll(quantities.Select((q, i) => clients[i % clients.Length].PostAsJsonAsync(
            $"{Records}/part_usage/records", new { data = new { service_request = ticket, part = partId, quantity = q } })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));

        var stored = (await wh.GetFromJsonAsync<JsonObject>($"{Records}/spare_part/records/{partId}"))!;
        Assert.Equal(100 - quantities.Sum(), stored["data"]!["stock"]!.GetValue<decimal>());
        Assert.Equal(1 + 50, stored["version"]!.GetValue<int>());
        Assert.Equal(1, await platform.CountAsync("select count(*) from records where entity_key = 'purchase_request' and data->>'part' = $1", partId));
        Assert.Equal(1, await platform.CountAsync("select count(*) from records where entity_key = 'purchase_request' and data->>'part' = $1 and data->>'reason' like '%低于安全库存%'", partId));
        foreach (var c in clients)
        {
            c.Dispose();
        }
    }

    [Fact]
    public async Task RuleUpdatingItsOwnTriggerField_StopsWithALoggedReason_AndTheRecordIsSaved()
    {
        using var admin = await platform.ClientForAsync("admin");
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/after_sales/rules/test_self_update", new
        {
            key = "test_self_update", name = "测试：改写自己的触发字段", entity = "customer",
            trigger = new { type = "field.changed", field = "address" }, condition = "address.indexOf('循环测试') >= 0",
            actions = new[] { new { type = "set-fields", fields = new Dictionary<string, string> { ["address"] = "address + '!'" } } },
        }), HttpStatusCode.OK);

        var customer = (await admin.GetFromJsonAsync<JsonObject>($"{Records}/customer/records?pageSize=1"))!["items"]![0]!.AsObject();
        var id = customer["id"]!.GetValue<string>();
        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Records}/customer/records/{id}") { Content = JsonContent.Create(new { data = new { address = "循环测试路 8 号" } }) };
        request.Headers.TryAddWithoutValidation("If-Match", customer["version"]!.ToString());
        var saved = await ApiAssert.JsonAsync(await admin.SendAsync(request), HttpStatusCode.OK);

        Assert.Equal("循环测试路 8 号!", saved["data"]!["address"]!.GetValue<string>());
        var firings = await FiringsAsync($"rule=test_self_update&record={id}");
        Assert.Equal(["fired", "loop"], firings.Select(f => f!["status"]!.GetValue<string>()).Reverse());
        Assert.Contains("already fired", firings[0]!["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task RuleCreatingRecordsThatTriggerItAgain_StopsAtTheDepthLimit_WithALoggedReason()
    {
        using var admin = await platform.ClientForAsync("admin");
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/after_sales/rules/test_chain", new
        {
            key = "test_chain", name = "测试：链式创建", entity = "purchase_request", trigger = new { type = "record.created" }, condition = "reason == 'chain_test'",
            actions = new[] { new { type = "create-record", entity = "purchase_request", fields = new Dictionary<string, string> { ["part"] = "part", ["quantity"] = "quantity + 1", ["reason"] = "reason" } } },
        }), HttpStatusCode.OK);
        var part = (await admin.GetFromJsonAsync<JsonObject>($"{Records}/spare_part/records?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();

        var first = await ApiAssert.JsonAsync(await admin.PostAsJsonAsync($"{Records}/purchase_request/records", new { data = new { part, quantity = 1, reason = "chain_test" } }), HttpStatusCode.Created);

        var chain = (await FiringsAsync($"rule=test_chain&record={first["id"]}")).Single()!["chainId"]!.GetValue<string>();
        var all = await FiringsAsync($"chain={chain}&limit=100");
        Assert.Equal(9, all.Count(f => f!["status"]!.GetValue<string>() == "fired"));
        var stopped = all.Single(f => f!["status"]!.GetValue<string>() == "depth-limit")!;
        Assert.Equal(9, stopped["depth"]!.GetValue<int>());
        Assert.Contains("depth limit", stopped["error"]!.GetValue<string>());
        Assert.Equal(10, await platform.CountAsync("select count(*) from records where entity_key = 'purchase_request' and data->>'reason' = 'chain_test'"));
    }

    [Fact]
    public async Task DryRun_ReportsWhatTheRuleWouldDo_AndWritesNothing()
    {
        // A designer's tool (it reads the records the actions query, past entity permissions).
        using var cs = await platform.ClientForAsync("analyst");
        var before = await platform.CountAsync("select count(*) from rule_firings");
        var yes = await ApiAssert.JsonAsync(await cs.PostAsJsonAsync("/api/apps/after_sales/rules/auto_approve_no_reason/dry-run", new
        {
            data = new { reason = "no_reason", purchased_at = Today(2), request_no = "RT-DRY" },
        }), HttpStatusCode.OK);
        Assert.True(yes["wouldFire"]!.GetValue<bool>());
        Assert.Equal("flow-approve", yes["actions"]![0]!["type"]!.GetValue<string>());
        Assert.Contains("2 天内", yes["actions"]![0]!["values"]!["comment"]!.GetValue<string>());

        var no = await ApiAssert.JsonAsync(await cs.PostAsJsonAsync("/api/apps/after_sales/rules/auto_approve_no_reason/dry-run", new
        {
            data = new { reason = "quality", purchased_at = Today(2) },
        }), HttpStatusCode.OK);
        Assert.False(no["wouldFire"]!.GetValue<bool>());
        Assert.False(no["condition"]!["result"]!.GetValue<bool>());

        var dispatch = await ApiAssert.JsonAsync(await cs.PostAsJsonAsync("/api/apps/after_sales/rules/auto_dispatch/dry-run", new
        {
            data = new { region = "east", required_skill = "installation", type = "install" },
        }), HttpStatusCode.OK);
        Assert.NotNull(dispatch["actions"]![0]!["candidates"]);
        Assert.Equal(before, await platform.CountAsync("select count(*) from rule_firings"));
    }

    [Fact]
    public async Task Publish_Refuses422NamingThePath_WhenTheActionTypeIsUnknownOrAFieldIsMissing()
    {
        using var admin = await platform.ClientForAsync("admin");
        var response = await admin.PutAsJsonAsync("/api/apps/after_sales/rules/test_broken", new
        {
            key = "test_broken", name = "坏规则", entity = "customer", trigger = new { type = "field.changed", field = "no_such_field" },
            actions = new object[] { new { type = "explode" }, new { type = "set-fields", fields = new Dictionary<string, string> { ["tier"] = "(" } } },
        });
        var problem = await ApiAssert.JsonAsync(response, HttpStatusCode.UnprocessableEntity);
        var errors = problem["errors"]!.AsObject();
        Assert.Contains("trigger.field", errors.Select(e => e.Key));
        Assert.Contains("actions[0].type", errors.Select(e => e.Key));
        Assert.Contains("actions[1].fields.tier", errors.Select(e => e.Key));
        Assert.Null((await admin.GetAsync("/api/apps/after_sales/rules/test_broken")).StatusCode == HttpStatusCode.NotFound ? null : "published");
    }

    [Fact]
    public async Task InboundWebhook_FiresRulesTriggeredByThatHook_WithThePayload()
    {
        using var admin = await platform.ClientForAsync("admin");
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/after_sales/hooks/erp_rule_test", new JsonObject
        {
            ["entity"] = "sales_order", ["matchField"] = "order_no", ["enabled"] = true,
        }), HttpStatusCode.Created);
        var token = (await ApiAssert.JsonAsync(await admin.PostAsync("/api/apps/after_sales/hooks/erp_rule_test/token", null), HttpStatusCode.OK))["token"]!.GetValue<string>();
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/after_sales/rules/test_erp_order", new
        {
            key = "test_erp_order", name = "测试：ERP 推送订单", entity = "sales_order", trigger = new { type = "webhook", hook = "erp_rule_test" },
            actions = new[] { new { type = "notify", to = new { users = new[] { "sup01" } }, title = "ERP 推送订单 {{order_no}}", text = "渠道 {{$payload.data.channel}}" } },
        }), HttpStatusCode.OK);

        var customer = (await admin.GetFromJsonAsync<JsonObject>($"{Records}/customer/records?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();
        var product = (await admin.GetFromJsonAsync<JsonObject>($"{Records}/product/records?pageSize=1"))!["items"]![0]!["id"]!.GetValue<string>();
        var orderNo = $"ERP-{Guid.NewGuid():N}"[..20];
        using var anonymous = platform.Anonymous();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/public/hooks/after_sales/erp_rule_test")
        {
            Content = JsonContent.Create(new { data = new { order_no = orderNo, customer, purchased_at = Today(1), channel = "tmall", items = new[] { new { product, quantity = 1, unit_price = 99 } } } }),
        };
        request.Headers.TryAddWithoutValidation("Authorization", $"Bearer {token}");
        await ApiAssert.JsonAsync(await anonymous.SendAsync(request), HttpStatusCode.Created);

        Assert.Equal(1, await platform.CountAsync("select count(*) from notifications where user_name = 'sup01' and title = $1 and body = '渠道 tmall'", $"ERP 推送订单 {orderNo}"));
    }

    [Fact]
    public async Task AcceptOverdue_AlertsTheSupervisor_WhenTheTicketIsNotAcceptedWithin30Minutes()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var created = await cs.PostAsJsonAsync($"{Records}/service_request/records", new
        {
            data = new { type = "repair", customer_name = "钱多多", phone = "13700137000", description = "洗衣机漏水", region = "north", address = "北京市朝阳区 3 号", priority = "high" },
        });
        var record = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        var ticket = record["data"]!["ticket_no"]!.GetValue<string>();
        Assert.Equal(1, await platform.CountAsync("select count(*) from timers where kind = 'rule-overdue' and payload->>'recordId' = $1", record["id"]!.GetValue<string>()));

        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        while (await worker.FireDueAsync(CancellationToken.None, DateTimeOffset.UtcNow.AddMinutes(31)) > 0)
        {
        }

        Assert.Equal(1, await platform.CountAsync("select count(*) from notifications where user_name = 'sup01' and title = $1", $"工单未受理：{ticket}"));
        var firing = (await FiringsAsync($"rule=accept_overdue&record={record["id"]}")).Single()!;
        Assert.Equal("task.overdue", firing["trigger"]!.GetValue<string>());
        Assert.Equal("fired", firing["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task AcceptOverdue_StaysQuiet_WhenTheTicketWasAcceptedInTime()
    {
        using var cs = await platform.ClientForAsync("cs01");
        var created = await cs.PostAsJsonAsync($"{Records}/service_request/records", new
        {
            data = new { type = "consult", customer_name = "钱多多", phone = "13700137000", description = "咨询保修期", region = "north", address = "北京市朝阳区 3 号" },
        });
        var record = await ApiAssert.JsonAsync(created, HttpStatusCode.Created);
        var id = record["id"]!.GetValue<string>();
        await ApproveAsync(cs, id, "accept");

        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        while (await worker.FireDueAsync(CancellationToken.None, DateTimeOffset.UtcNow.AddMinutes(31)) > 0)
        {
        }

        Assert.Equal(0, await platform.CountAsync("select count(*) from timers where kind = 'rule-overdue' and payload->>'recordId' = $1", id));
        Assert.Empty(await FiringsAsync($"rule=accept_overdue&record={id}"));
    }

    [Fact]
    public async Task ScheduleRule_FiresOnItsTimer_AndSetsItsNextOccurrence()
    {
        using var admin = await platform.ClientForAsync("admin");
        await ApiAssert.JsonAsync(await admin.PutAsJsonAsync("/api/apps/after_sales/rules/test_daily_digest", new
        {
            key = "test_daily_digest", name = "测试：每日待办汇总", trigger = new { type = "schedule", cron = "0 9 * * *" },
            actions = new[] { new { type = "notify", to = new { roles = new[] { "supervisor" } }, title = "每日待办汇总", text = "请查看今日待办" } },
        }), HttpStatusCode.OK);
        Assert.Equal(1, await platform.CountAsync("select count(*) from timers where kind = 'rule-schedule' and payload->>'rule' = 'test_daily_digest'"));

        var worker = platform.Factory.Services.GetRequiredService<FlowTimerWorker>();
        while (await worker.FireDueAsync(CancellationToken.None, DateTimeOffset.UtcNow.AddDays(1).AddMinutes(1)) > 0)
        {
        }

        Assert.True(await platform.CountAsync("select count(*) from notifications where user_name = 'sup01' and title = '每日待办汇总'") >= 1);
        Assert.Equal("fired", (await FiringsAsync("rule=test_daily_digest")).First()!["status"]!.GetValue<string>());
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from timers where kind = 'rule-schedule' and payload->>'rule' = 'test_daily_digest' and due_at > now() + interval '1 day'"));
    }
}
