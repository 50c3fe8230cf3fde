using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// service_flow walked branch by branch: field jobs accepted by cs01, dispatched by auto_dispatch (or by hand when nobody
/// qualifies), executed by the chosen engineer from their own inbox with part usage lowering stock (and a purchase request
/// below safety stock), followed up with CSAT feedback and closed, the engineer's open jobs (an aggregate field) up and down; the external service
/// provider reached for its skill and seeing only its job; complaints countersigned by quality and the supervisor, where
/// one rejection rejects; invoices to finance; consultations straight to the follow-up.
/// </summary>
[Collection("platform")]
public sealed class ServiceFlowScenarioTests(PlatformFixture platform)
{
    private readonly AfterSalesScenario scenario = new(platform);

    /// <summary>What auto_dispatch should pick: the active engineer of the region with the skill and the fewest open jobs, the longest-serving on a tie.</summary>
    private static async Task<JsonObject> ExpectedEngineerAsync(HttpClient client, string region, string skill)
    {
        var engineers = (await ListAsync(client, "engineer", $"pageSize=200&filter=region:eq:{region}&filter=active:eq:true&filter=skills:contains:{skill}"))["items"]!.AsArray()
            .Select(e => e!.AsObject()).ToList();
        Assert.NotEmpty(engineers);
        return engineers.OrderBy(OpenJobs).ThenBy(e => e["createdAt"]!.GetValue<DateTimeOffset>()).First();
    }

    private static decimal OpenJobs(JsonObject engineer) => engineer["data"]!["open_jobs"]?.GetValue<decimal>() ?? 0;

    private static async Task<JsonObject> EngineerOfAsync(HttpClient client, string userName) =>
        (await ListAsync(client, "engineer", $"filter=user_name:eq:{userName}"))["items"]!.AsArray().Single()!.AsObject();

    private async Task<JsonObject> NewPartAsync(int stock, int safetyStock)
    {
        using var wh = await scenario.AsAsync("wh01");
        return await CreateAsync(wh, "spare_part", new JsonObject
        {
            ["part_no"] = $"SP-SCN-{Guid.NewGuid():N}"[..16], ["name"] = "场景测试备件", ["stock"] = stock, ["safety_stock"] = safetyStock, ["unit_cost"] = 42,
        });
    }

    /// <summary>Records <paramref name="quantity"/> of a fresh part (stock 10, safety stock 8) on the job; checks stock and the purchase request.</summary>
    private async Task UsePartsAsync(HttpClient engineer, string ticketId, int quantity)
    {
        var part = await NewPartAsync(10, 8);
        var partId = Id(part);
        await CreateAsync(engineer, "part_usage", new JsonObject { ["service_request"] = ticketId, ["part"] = partId, ["quantity"] = quantity });
        using var wh = await scenario.AsAsync("wh01");
        var stock = 10 - quantity;
        Assert.Equal(stock, (await GetAsync(wh, "spare_part", partId))["data"]!["stock"]!.GetValue<decimal>());
        var purchases = (await ListAsync(wh, "purchase_request", $"filter=part:eq:{partId}"))["items"]!.AsArray();
        if (stock >= 8)
        {
            Assert.Empty(purchases);
            return;
        }

        var purchase = Assert.Single(purchases)!.AsObject();
        Assert.Equal(8 * 2 - stock, purchase["data"]!["quantity"]!.GetValue<decimal>());
        Assert.Contains("低于安全库存", Text(purchase, "reason"));
        Assert.Equal(["fired"], await scenario.FiringStatusesAsync("low_stock_purchase", partId));
    }

    /// <summary>cs01 calls the customer back, records CSAT and whether the first visit fixed it, and completes the follow-up.</summary>
    private static async Task<JsonObject> FollowUpAsync(HttpClient cs, string ticketId, int rating, bool firstTimeFix)
    {
        var feedback = await CreateAsync(cs, "feedback", new JsonObject
        {
            ["service_request"] = ticketId, ["rating"] = rating, ["first_time_fix"] = firstTimeFix, ["comment"] = "场景回访：师傅很专业",
        });
        Assert.Equal(ticketId, Text(feedback, "service_request"));
        return await ActAsync(cs, ticketId, "follow_up", comment: "电话回访：客户表示满意");
    }

    [Theory]
    [InlineData("repair", "south", "laundry", 3)] // stock 10 → 7, below safety stock 8
    [InlineData("install", "north", "installation", 0)]
    [InlineData("maintain", "central", "kitchen", 1)] // stock 10 → 9, still above
    public async Task FieldJob_IsDispatchedExecutedFollowedUpAndClosed_ByItsRolesAndRules(string type, string region, string skill, int parts)
    {
        using var cs = await scenario.AsAsync("cs01");
        var chosen = await ExpectedEngineerAsync(cs, region, skill);
        var jobsBefore = OpenJobs(chosen);
        var engineerUser = Text(chosen, "user_name")!;
        var phone = NewPhone();
        var ticket = await CreateTicketAsync(cs, type, region, skill, phone);
        var id = Id(ticket);
        Assert.Equal(["accept"], Active(ticket));
        Assert.Equal("new", Text(ticket, "status"));
        Assert.Null(ticket["data"]!["accepted_at"]);

        var accepted = await ActAsync(cs, id, "accept", comment: "已电话确认故障", fields: new JsonObject { ["priority"] = "high" });
        Assert.True(Active(accepted) is ["execute"], (await scenario.FiringsAsync($"record={id}")).ToJsonString());
        var dispatched = await GetAsync(cs, "service_request", id);
        Assert.Equal("dispatched", Text(dispatched, "status"));
        Assert.Equal("high", Text(dispatched, "priority"));
        Assert.Equal(Id(chosen), Text(dispatched, "engineer"));
        Assert.Equal(engineerUser, Text(dispatched, "engineer_user"));
        var acceptedAt = dispatched["data"]!["accepted_at"]?.GetValue<DateTimeOffset>();
        Assert.True(acceptedAt >= ticket["createdAt"]!.GetValue<DateTimeOffset>() && acceptedAt <= DateTimeOffset.UtcNow, $"accepted_at {acceptedAt}");
        Assert.Equal(["fired"], await scenario.FiringStatusesAsync("auto_dispatch", id));
        Assert.Equal(jobsBefore + 1, OpenJobs(await GetAsync(cs, "engineer", Id(chosen))));

        // The job is in the chosen engineer's inbox and visible to them, not to another region's engineer nor to customer service.
        using var engineer = await scenario.AsAsync(engineerUser);
        await GetAsync(engineer, "service_request", id);
        using var stranger = await scenario.AsAsync(region == "east" ? "eng09" : "eng01");
        Assert.Equal(HttpStatusCode.NotFound, (await stranger.GetAsync($"{Records}/service_request/records/{id}")).StatusCode);
        Assert.Null(await FindTaskAsync(stranger, id, "execute"));
        Assert.Null(await FindTaskAsync(cs, id, "execute"));

        if (parts > 0)
        {
            await UsePartsAsync(engineer, id, parts);
        }

        var textsBefore = await platform.CountAsync("select count(*) from outbox where kind = 'sms' and payload->>'to' = $1", phone);
        var visited = await ActAsync(engineer, id, "execute", comment: "已上门处理，试机正常");
        Assert.Equal(["follow_up"], Active(visited));
        Assert.Equal("resolved", Text(await GetAsync(cs, "service_request", id), "status"));

        // Resolving texts the customer once: the feedback request carries the new status and one link (its page leads on to the timeline).
        var resolvedTexts = await platform.ScalarAsync<string[]>(
            "select coalesce(array_agg(payload->>'text' order by created_at), '{}') from (select * from outbox where kind = 'sms' and payload->>'to' = $1 order by created_at offset $2) o",
            phone, (int)textsBefore);
        var resolvedText = Assert.Single(resolvedTexts);
        Assert.Contains("已解决", resolvedText, StringComparison.Ordinal);
        Assert.Contains("/f/", resolvedText, StringComparison.Ordinal);
        Assert.DoesNotContain("/t/", resolvedText, StringComparison.Ordinal);
        Assert.True(resolvedText.Length <= 2 * 67, $"two SMS parts at most: {resolvedText.Length} characters");

        var closed = await FollowUpAsync(cs, id, 5, true);
        Assert.Equal("completed", closed["status"]!.GetValue<string>());
        var final = await GetAsync(cs, "service_request", id);
        Assert.Equal("closed", Text(final, "status"));
        Assert.Equal(jobsBefore, OpenJobs(await GetAsync(cs, "engineer", Id(chosen))));
        Assert.Equal(
            [("accept", "approve", "cs01"), ("dispatch", "approve", "rule:auto_dispatch"), ("execute", "approve", engineerUser), ("follow_up", "approve", "cs01")],
            Decisions(await InstanceAsync(cs, ticket)));

        var track = await scenario.TrackAsync(Text(ticket, "ticket_no")!, phone);
        Assert.Equal("closed", track["status"]!.GetValue<string>());
        Assert.Equal("办理完成", TimelineTexts(track)[^1]);
    }

    [Fact]
    public async Task ManualDispatch_TakesOver_WhenNoEngineerOfTheRegionHasTheSkill()
    {
        using var cs = await scenario.AsAsync("cs01");
        var ticket = await CreateTicketAsync(cs, "repair", "west", "commercial_refrigeration", NewPhone());
        var id = Id(ticket);
        var accepted = await ActAsync(cs, id, "accept");

        Assert.Equal(["dispatch"], Active(accepted));
        var waiting = await GetAsync(cs, "service_request", id);
        Assert.Equal("accepted", Text(waiting, "status"));
        Assert.Null(waiting["data"]!["engineer"]);
        var result = (await scenario.FiringsAsync($"rule=auto_dispatch&record={id}")).Single()!["actions"]![0]!["result"]!;
        Assert.Null(result["chosen"]);
        Assert.Empty(result["candidates"]!.AsArray());
        Assert.True(await platform.CountAsync("select count(*) from notifications where user_name = 'cs01' and title like '%人工派工%' and link like '%' || $1", id) >= 1);

        // Completing the dispatch without naming the engineer is refused; naming one sends the job to their inbox.
        await ActAsync(cs, id, "dispatch", expected: HttpStatusCode.UnprocessableEntity);
        var engineer = await EngineerOfAsync(cs, "eng17");
        var jobsBefore = OpenJobs(engineer);
        var dispatched = await ActAsync(cs, id, "dispatch", comment: "无商用制冷资质工程师，派给西部主力工程师",
            fields: new JsonObject { ["engineer"] = Id(engineer), ["engineer_user"] = "eng17" });
        Assert.Equal(["execute"], Active(dispatched));
        Assert.Equal(jobsBefore + 1, OpenJobs(await GetAsync(cs, "engineer", Id(engineer))));

        using var eng17 = await scenario.AsAsync("eng17");
        await ActAsync(eng17, id, "execute", comment: "已修复");
        await FollowUpAsync(cs, id, 3, false);
        Assert.Equal("closed", Text(await GetAsync(cs, "service_request", id), "status"));
        Assert.Equal(jobsBefore, OpenJobs(await GetAsync(cs, "engineer", Id(engineer))));
        Assert.Equal(("dispatch", "approve", "cs01"), Decisions(await InstanceAsync(cs, ticket))[1]);
    }

    [Fact]
    public async Task ServiceProvider_IsDispatchedTheJobNeedingItsSkill_AndSeesOnlyItsOwnJobs()
    {
        using var cs = await scenario.AsAsync("cs01");
        var provider = await EngineerOfAsync(cs, "sp01");
        Assert.Equal("east", Text(provider, "region"));
        var jobsBefore = OpenJobs(provider);
        var orderNo = await CreateOrderAsync(cs, 40, 4999m, 1);
        var ticket = await CreateAsync(cs, "service_request", new JsonObject
        {
            ["type"] = "repair", ["customer_name"] = "上海恒信酒店管理有限公司", ["phone"] = NewPhone(), ["order_no"] = orderNo,
            ["description"] = "后厨商用冷柜不制冷", ["region"] = "east", ["address"] = "上海市黄浦区南京东路 1 号", ["required_skill"] = "commercial_refrigeration",
        });
        var id = Id(ticket);
        Assert.NotNull(ticket["data"]!["purchased_at"]);
        Assert.Equal(["execute"], Active(await ActAsync(cs, id, "accept")));
        var dispatched = await GetAsync(cs, "service_request", id);
        Assert.Equal(Id(provider), Text(dispatched, "engineer"));
        Assert.Equal("sp01", Text(dispatched, "engineer_user"));
        Assert.Equal(jobsBefore + 1, OpenJobs(await GetAsync(cs, "engineer", Id(provider))));

        // The provider sees its job without the order facts, only its own jobs and its own engineer record, and no other request.
        using var sp = await scenario.AsAsync("sp01");
        var seen = await GetAsync(sp, "service_request", id);
        Assert.Null(seen["data"]!["order_no"]);
        Assert.Null(seen["data"]!["purchased_at"]);
        var jobs = (await ListAsync(sp, "service_request", "pageSize=200"))["items"]!.AsArray();
        Assert.Contains(jobs, j => Id(j!.AsObject()) == id);
        Assert.All(jobs, j => Assert.Equal("sp01", Text(j!.AsObject(), "engineer_user")));
        Assert.Equal([Id(provider)], (await ListAsync(sp, "engineer", "pageSize=200"))["items"]!.AsArray().Select(e => Id(e!.AsObject())));
        var other = Id((await ListAsync(cs, "service_request", "pageSize=1&filter=region:eq:south"))["items"]![0]!.AsObject());
        Assert.Equal(HttpStatusCode.NotFound, (await sp.GetAsync($"{Records}/service_request/records/{other}")).StatusCode);
        var returns = await sp.GetAsync($"{Records}/return_request/records?pageSize=1");
        Assert.True(returns.StatusCode == HttpStatusCode.Forbidden || (await returns.Content.ReadFromJsonAsync<JsonObject>())!["total"]!.GetValue<long>() == 0);

        // It picks the part it used from the parts list, and completes the visit from its inbox.
        var part = await NewPartAsync(30, 5);
        Assert.Contains((await ListAsync(sp, "spare_part", $"filter=part_no:eq:{Text(part, "part_no")}"))["items"]!.AsArray(), p => Id(p!.AsObject()) == Id(part));
        await CreateAsync(sp, "part_usage", new JsonObject { ["service_request"] = id, ["part"] = Id(part), ["quantity"] = 2 });
        Assert.Equal(28, (await GetAsync(cs, "spare_part", Id(part)))["data"]!["stock"]!.GetValue<decimal>());
        Assert.Equal(["follow_up"], Active(await ActAsync(sp, id, "execute", comment: "更换压缩机启动器，运行正常")));

        await FollowUpAsync(cs, id, 4, true);
        Assert.Equal("closed", Text(await GetAsync(cs, "service_request", id), "status"));
        Assert.Equal(jobsBefore, OpenJobs(await GetAsync(cs, "engineer", Id(provider))));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("qa01")]
    [InlineData("sup01")]
    public async Task Complaint_NeedsQualityAndTheSupervisor_AndEitherRejectionRejects(string? rejecter)
    {
        using var cs = await scenario.AsAsync("cs01");
        using var qa = await scenario.AsAsync("qa01");
        using var sup = await scenario.AsAsync("sup01");
        var phone = NewPhone();
        var ticket = await CreateTicketAsync(cs, "complaint", "east", null, phone);
        var id = Id(ticket);
        Assert.Equal(["complaint_review"], Active(await ActAsync(cs, id, "accept")));
        Assert.Equal("accepted", Text(await GetAsync(cs, "service_request", id), "status"));
        using var cs02 = await scenario.AsAsync("cs02");
        Assert.Null(await FindTaskAsync(cs02, id, "complaint_review"));
        Assert.Empty(await scenario.FiringsAsync($"rule=auto_dispatch&record={id}"));

        var reason = $"场景：投诉不成立 {Guid.NewGuid():N}"[..20];
        if (rejecter is null)
        {
            Assert.Equal(["complaint_review"], Active(await ActAsync(qa, id, "complaint_review", comment: "已调取维修记录")));
            Assert.Equal(["follow_up"], Active(await ActAsync(sup, id, "complaint_review", comment: "同意补偿方案")));
            await ActAsync(cs, id, "follow_up");
            Assert.Equal("closed", Text(await GetAsync(cs, "service_request", id), "status"));
            Assert.Equal(
                [("accept", "approve", "cs01"), ("complaint_review", "approve", "qa01"), ("complaint_review", "approve", "sup01"), ("follow_up", "approve", "cs01")],
                Decisions(await InstanceAsync(cs, ticket)));
            return;
        }

        if (rejecter == "sup01")
        {
            await ActAsync(qa, id, "complaint_review");
        }

        var rejected = await ActAsync(rejecter == "qa01" ? qa : sup, id, "complaint_review", "reject", reason);
        Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
        Assert.Null(await FindTaskAsync(rejecter == "qa01" ? sup : qa, id, "complaint_review"));
        var stored = await GetAsync(cs, "service_request", id);
        Assert.Equal("rejected", Text(stored, "status"));
        Assert.Equal("rejected", stored["flow"]!["status"]!.GetValue<string>());
        var track = await scenario.TrackAsync(Text(ticket, "ticket_no")!, phone);
        Assert.Equal("rejected", track["status"]!.GetValue<string>());
        Assert.Contains($"「投诉会签」未通过：{reason}", TimelineTexts(track));
    }

    [Theory]
    [InlineData("invoice", "invoice_reissue", "fin01")]
    [InlineData("consult", "follow_up", "cs01")]
    public async Task OfficeRequest_GoesFromAcceptanceToItsDesk_AndCloses_WithoutAnEngineer(string type, string step, string user)
    {
        using var cs = await scenario.AsAsync("cs01");
        var ticket = await CreateTicketAsync(cs, type, "south", null, NewPhone());
        var id = Id(ticket);
        Assert.Equal([step], Active(await ActAsync(cs, id, "accept")));
        using var desk = await scenario.AsAsync(user);
        var done = await ActAsync(desk, id, step, comment: type == "invoice" ? "增值税发票已重新开具" : "已解答保修政策");
        Assert.Equal("completed", done["status"]!.GetValue<string>());
        var stored = await GetAsync(cs, "service_request", id);
        Assert.Equal("closed", Text(stored, "status"));
        Assert.Null(stored["data"]!["engineer"]);
        Assert.Equal([("accept", "approve", "cs01"), (step, "approve", user)], Decisions(await InstanceAsync(cs, ticket)));
        Assert.Empty(await scenario.FiringsAsync($"rule=auto_dispatch&record={id}"));
    }
}
