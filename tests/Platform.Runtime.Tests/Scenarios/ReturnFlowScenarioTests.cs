using System.Globalization;
using System.Text.Json.Nodes;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// return_flow walked branch by branch as the template's users act: cs01 reviews, sup01 approves above 500, wh01 checks the
/// goods and ships replacements, fin01 refunds; rejections at each approval reach the customer's tracking timeline with
/// the reason; the seven-day no-reason rule approves the review itself on the last day and not the day after.
/// </summary>
[Collection("platform")]
public sealed class ReturnFlowScenarioTests(PlatformFixture platform)
{
    private readonly AfterSalesScenario scenario = new(platform);

    [Theory]
    [InlineData(250, 2, "return", false, "refunded")] // exactly 500: no supervisor
    [InlineData(120, 1, "exchange", false, "shipped")]
    [InlineData(250.5, 2, "exchange", true, "shipped")] // 501
    [InlineData(880, 1, "return", true, "refunded")]
    public async Task Walk_EndsRefundedOrShipped_WithTheSupervisorOnlyAbove500(decimal unitPrice, int quantity, string kind, bool viaSupervisor, string end)
    {
        using var cs = await scenario.AsAsync("cs01");
        using var sup = await scenario.AsAsync("sup01");
        using var wh = await scenario.AsAsync("wh01");
        using var fin = await scenario.AsAsync("fin01");
        var phone = NewPhone();
        var orderNo = await CreateOrderAsync(cs, 30, unitPrice);
        var record = await CreateReturnAsync(cs, orderNo, kind, "wrong_item", phone, quantity);
        var id = Id(record);
        var requestNo = Text(record, "request_no")!;
        Assert.Equal(unitPrice * quantity, record["data"]!["amount"]!.GetValue<decimal>());
        Assert.Equal(["cs_review"], Active(record));
        Assert.Equal("pending", Text(record, "status"));
        Assert.Null(await FindTaskAsync(wh, id, "cs_review"));
        Assert.Null(await FindTaskAsync(fin, id, "cs_review"));

        var reviewed = await ActAsync(cs, id, "cs_review", comment: "资料齐全，同意受理");
        var expected = new List<(string, string, string)> { ("cs_review", "approve", "cs01") };
        if (viaSupervisor)
        {
            Assert.Equal(["supervisor_approval"], Active(reviewed));
            Assert.Equal("pending", Text(await GetAsync(cs, "return_request", id), "status"));
            using var cs02 = await scenario.AsAsync("cs02");
            Assert.Null(await FindTaskAsync(cs02, id, "supervisor_approval"));
            reviewed = await ActAsync(sup, id, "supervisor_approval");
            expected.Add(("supervisor_approval", "approve", "sup01"));
        }

        Assert.Equal(["warehouse_qc"], Active(reviewed));
        Assert.Equal("approved", Text(await GetAsync(cs, "return_request", id), "status"));
        Assert.Null(await FindTaskAsync(fin, id, "warehouse_qc"));
        var checkedGoods = await ActAsync(wh, id, "warehouse_qc", comment: "外观完好，配件齐全");
        expected.Add(("warehouse_qc", "approve", "wh01"));
        Assert.Equal(["fired"], await scenario.FiringStatusesAsync("qc_passed_notify", id));
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from outbox where kind = 'sms' and payload->>'text' like '%' || $1 || '%' and payload->>'to' = (select phone from users where user_name = 'fin01')", requestNo));
        var email = Text(await GetAsync(cs, "customer", Text(record, "customer")!), "email")!;
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from outbox where kind = 'email' and payload->>'subject' like '%' || $1 || '%已通过质检' and payload->>'to' = $2", requestNo, email));

        // Besides, each status change (here pending → approved on entering QC) told the customer, with the signed link.
        Assert.Equal(1, await platform.CountAsync(
            "select count(*) from outbox where kind = 'email' and payload->>'subject' like '%' || $1 || ' 状态更新：已通过' and payload->>'body' like '%/t/%' and payload->>'to' = $2", requestNo, email));

        var (lastStep, lastUser, lastClient) = kind == "return" ? ("finance_refund", "fin01", fin) : ("ship_replacement", "wh01", wh);
        Assert.Equal([lastStep], Active(checkedGoods));
        var done = await ActAsync(lastClient, id, lastStep);
        expected.Add((lastStep, "approve", lastUser));
        Assert.Equal("completed", done["status"]!.GetValue<string>());

        var stored = await GetAsync(cs, "return_request", id);
        Assert.Equal(end, Text(stored, "status"));
        Assert.Equal("completed", stored["flow"]!["status"]!.GetValue<string>());
        var instance = await InstanceAsync(cs, record);
        Assert.Equal(expected, Decisions(instance));
        Assert.Empty(instance["tasks"]!.AsArray());

        var track = await scenario.TrackAsync(requestNo, phone);
        Assert.Equal(end, track["status"]!.GetValue<string>());
        var texts = TimelineTexts(track);
        Assert.Equal("已提交申请", texts[0]);
        Assert.Equal("办理完成", texts[^1]);
        Assert.Contains("「客服初审」已通过", texts);
        Assert.Contains("「仓库质检」已通过", texts);
        Assert.Contains(kind == "return" ? "「财务退款」已通过" : "「换货发货」已通过", texts);
        Assert.Equal(viaSupervisor, texts.Contains("「主管审批」已通过"));
    }

    [Theory]
    [InlineData("cs_review", "客服初审")]
    [InlineData("supervisor_approval", "主管审批")]
    [InlineData("warehouse_qc", "仓库质检")]
    public async Task Rejection_EndsRejected_WithTheReasonOnTheCustomersTimeline(string rejectAt, string stepName)
    {
        var actors = new[] { ("cs_review", "cs01"), ("supervisor_approval", "sup01"), ("warehouse_qc", "wh01") };
        using var cs = await scenario.AsAsync("cs01");
        var phone = NewPhone();
        var record = await CreateReturnAsync(cs, await CreateOrderAsync(cs, 30, 880m), "return", "wrong_item", phone);
        var id = Id(record);
        var reason = $"场景驳回：{stepName}不通过 {Guid.NewGuid():N}"[..24];
        foreach (var (step, user) in actors)
        {
            using var client = await scenario.AsAsync(user);
            if (step != rejectAt)
            {
                await ActAsync(client, id, step);
                continue;
            }

            var rejected = await ActAsync(client, id, step, "reject", reason);
            Assert.Equal("rejected", rejected["status"]!.GetValue<string>());
            Assert.Empty(Active(rejected));
            break;
        }

        var stored = await GetAsync(cs, "return_request", id);
        Assert.Equal("rejected", Text(stored, "status"));
        Assert.Equal("rejected", stored["flow"]!["status"]!.GetValue<string>());
        using var fin = await scenario.AsAsync("fin01");
        Assert.Null(await FindTaskAsync(fin, id, "finance_refund"));
        var instance = await InstanceAsync(cs, record);
        Assert.Empty(instance["tasks"]!.AsArray());
        Assert.Equal(reason, instance["history"]!.AsArray()[^1]!["comment"]!.GetValue<string>());

        // A goods check that fails is no "passed QC" message to finance and the customer.
        Assert.Empty(await scenario.FiringStatusesAsync("qc_passed_notify", id));

        var track = await scenario.TrackAsync(Text(record, "request_no")!, phone);
        Assert.Equal("rejected", track["status"]!.GetValue<string>());
        var texts = TimelineTexts(track);
        Assert.Contains($"「{stepName}」未通过：{reason}", texts);
        Assert.Equal($"申请被驳回：{reason}", texts[^1]);
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(7, true)]
    [InlineData(8, false)]
    public async Task NoReasonReturn_IsApprovedByTheRule_OnlyUpToSevenDaysAfterPurchase(int daysAgo, bool approvedByRule)
    {
        using var cs = await scenario.AsAsync("cs01");
        var phone = NewPhone();
        var record = await CreateReturnAsync(cs, await CreateOrderAsync(cs, daysAgo, 199m), "return", "no_reason", phone);
        var id = Id(record);
        var firing = (await scenario.FiringsAsync($"rule=auto_approve_no_reason&record={id}")).Single()!;

        if (!approvedByRule)
        {
            Assert.Equal("condition-false", firing["status"]!.GetValue<string>());
            Assert.Equal(["cs_review"], Active(record));
            Assert.NotNull(await FindTaskAsync(cs, id, "cs_review"));
            return;
        }

        Assert.Equal("fired", firing["status"]!.GetValue<string>());
        Assert.Equal(["warehouse_qc"], Active(record));
        Assert.Null(await FindTaskAsync(cs, id, "cs_review"));
        var review = (await InstanceAsync(cs, record))["history"]!.AsArray()
            .Single(h => h!["step"]!.GetValue<string>() == "cs_review" && h["action"]!.GetValue<string>() == "approve")!;
        Assert.Equal("rule:auto_approve_no_reason", review["by"]!.GetValue<string>());
        Assert.Contains($"购买 {daysAgo.ToString(CultureInfo.InvariantCulture)} 天内", review["comment"]!.GetValue<string>());
        Assert.Contains("「客服初审」已通过", TimelineTexts(await scenario.TrackAsync(Text(record, "request_no")!, phone)));
    }
}
