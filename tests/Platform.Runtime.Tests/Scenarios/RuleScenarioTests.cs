using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Platform.Runtime.Execution;
using Platform.Runtime.Tests.Infrastructure;
using static Platform.Runtime.Tests.Scenarios.AfterSalesScenario;

namespace Platform.Runtime.Tests.Scenarios;

/// <summary>
/// The template's rules: each has a scenario that makes it fire (the flow scenarios for the step rules, this class for the
/// timed ones); the overdue alerts fire when their timer comes due — the clock moved by firing timers as of a later moment —
/// not a minute before, and not at all for work done in time.
/// </summary>
[Collection("platform")]
public sealed class RuleScenarioTests(PlatformFixture platform)
{
    private readonly AfterSalesScenario scenario = new(platform);

    /// <summary>Each template rule and the scenario that asserts it fired (and, where it has one, that it did not).</summary>
    private static readonly Dictionary<string, string> FiredBy = new(StringComparer.Ordinal)
    {
        ["auto_approve_no_reason"] = nameof(ReturnFlowScenarioTests.NoReasonReturn_IsApprovedByTheRule_OnlyUpToSevenDaysAfterPurchase),
        ["qc_passed_notify"] = nameof(ReturnFlowScenarioTests.Walk_EndsRefundedOrShipped_WithTheSupervisorOnlyAbove500),
        ["cs_review_overdue"] = nameof(CsReviewOverdue_RemindsTheSupervisorAfterFourHours_NotBefore_NorForAReviewedRequest),
        ["accept_overdue"] = nameof(AcceptOverdue_AlertsTheSupervisorAfter30Minutes_NotBefore_NorForAnAcceptedTicket),
        ["stamp_accepted_at"] = nameof(ServiceFlowScenarioTests.FieldJob_IsDispatchedExecutedFollowedUpAndClosed_ByItsRolesAndRules),
        ["auto_dispatch"] = nameof(ServiceFlowScenarioTests.FieldJob_IsDispatchedExecutedFollowedUpAndClosed_ByItsRolesAndRules),
        ["deduct_stock"] = nameof(ServiceFlowScenarioTests.FieldJob_IsDispatchedExecutedFollowedUpAndClosed_ByItsRolesAndRules),
        ["restore_stock"] = nameof(Mobile.MobileJobsApiTests.AddPart_LowersTheStock_AndRemovingTheMistakeRestoresIt),
        ["low_stock_purchase"] = nameof(ServiceFlowScenarioTests.FieldJob_IsDispatchedExecutedFollowedUpAndClosed_ByItsRolesAndRules),
        ["return_status_notify"] = nameof(Api.CustomerPortalApiTests.ReturnStatusChange_TextsTheCustomerTheNewStatusAndASignedLink_WhenCustomerServiceRejects),
        ["service_status_notify"] = nameof(Api.CustomerPortalApiTests.StatusChange_QueuesAnSmsToTheCustomerWithASignedLink_ThatOpensTheRequest),
        ["service_feedback_request"] = nameof(Api.FeedbackLinksApiTests.FollowUp_TextsAFeedbackLink_WhoseAnswerCompletesTheFollowUpAndClosesTheRequest),
        ["customer_feedback_completes_follow_up"] = nameof(Api.FeedbackLinksApiTests.FollowUp_TextsAFeedbackLink_WhoseAnswerCompletesTheFollowUpAndClosesTheRequest),
        ["return_feedback_request"] = nameof(Api.FeedbackLinksApiTests.RefundedReturn_TextsAFeedbackLink_ThatRecordsTheAnswerAgainstThatReturn),
    };

    private async Task<long> NotificationsAsync(string user, string title) =>
        await platform.CountAsync("select count(*) from notifications where user_name = $1 and title = $2", user, title);

    [Fact]
    public async Task EveryTemplateRule_HasAScenarioThatFiresIt()
    {
        var template = await platform.Factory.Services.GetRequiredService<TemplateLibrary>().ReadAsync(TemplateLibrary.AfterSales, CancellationToken.None);
        var rules = template!["rules"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            rules.SequenceEqual(FiredBy.Keys.Order(StringComparer.Ordinal)),
            $"template rules without a scenario: {string.Join(", ", rules.Except(FiredBy.Keys))}; scenarios of removed rules: {string.Join(", ", FiredBy.Keys.Except(rules))}");
    }

    [Fact]
    public async Task CsReviewOverdue_RemindsTheSupervisorAfterFourHours_NotBefore_NorForAReviewedRequest()
    {
        using var cs = await scenario.AsAsync("cs01");
        var orderNo = await CreateOrderAsync(cs, 30, 99m);
        var waiting = await CreateReturnAsync(cs, orderNo, "return", "wrong_item", NewPhone());
        var reviewed = await CreateReturnAsync(cs, orderNo, "exchange", "wrong_item", NewPhone());
        var title = $"客服初审超时：{Text(waiting, "request_no")}";
        var due = await scenario.OverdueTimerAsync("cs_review_overdue", Id(waiting));
        Assert.InRange(due - waiting["createdAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromHours(4) - TimeSpan.FromSeconds(1), TimeSpan.FromHours(4) + TimeSpan.FromSeconds(10));
        await scenario.OverdueTimerAsync("cs_review_overdue", Id(reviewed));
        await ActAsync(cs, Id(reviewed), "cs_review");

        await scenario.PassTimeUntilAsync(due - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await NotificationsAsync("sup01", title));
        Assert.Empty(await scenario.FiringsAsync($"rule=cs_review_overdue&record={Id(waiting)}"));

        await scenario.PassTimeUntilAsync(due + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await NotificationsAsync("sup01", title));
        var firing = (await scenario.FiringsAsync($"rule=cs_review_overdue&record={Id(waiting)}")).Single()!;
        Assert.Equal("fired", firing["status"]!.GetValue<string>());
        Assert.Equal("task.overdue", firing["trigger"]!.GetValue<string>());
        Assert.Empty(await scenario.FiringsAsync($"rule=cs_review_overdue&record={Id(reviewed)}"));
        Assert.Equal(0, await NotificationsAsync("sup01", $"客服初审超时：{Text(reviewed, "request_no")}"));
        Assert.Equal(0, await platform.CountAsync("select count(*) from timers where kind = 'rule-overdue' and payload->>'recordId' = any($1)", (object)new[] { Id(waiting), Id(reviewed) }));

        // Once the step's own deadline (4 business hours) has passed too, it reminds the reviewers (customer service, which
        // sup01 also belongs to); the supervisor's alert stays the rule's one.
        await scenario.PassTimeUntilAsync(due + TimeSpan.FromDays(3));
        Assert.Equal(1, await platform.CountAsync("select count(*) from notifications n join flow_instances i on i.id = n.instance_id where i.record_id = $1 and n.user_name = 'cs01' and n.kind = 'remind'", Guid.Parse(Id(waiting))));
        Assert.Equal(1, await NotificationsAsync("sup01", title));

        // The reminder changes nothing about the request: it still waits for customer service.
        Assert.Equal(["cs_review"], Active(await GetAsync(cs, "return_request", Id(waiting))));
    }

    [Fact]
    public async Task AcceptOverdue_AlertsTheSupervisorAfter30Minutes_NotBefore_NorForAnAcceptedTicket()
    {
        using var cs = await scenario.AsAsync("cs01");
        var waiting = await CreateTicketAsync(cs, "repair", "north", "basic_repair", NewPhone());
        var accepted = await CreateTicketAsync(cs, "consult", "north", null, NewPhone());
        var title = $"工单未受理：{Text(waiting, "ticket_no")}";
        var due = await scenario.OverdueTimerAsync("accept_overdue", Id(waiting));
        Assert.InRange(due - waiting["createdAt"]!.GetValue<DateTimeOffset>(), TimeSpan.FromMinutes(30) - TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(30) + TimeSpan.FromSeconds(10));
        await ActAsync(cs, Id(accepted), "accept");

        await scenario.PassTimeUntilAsync(due - TimeSpan.FromMinutes(1));
        Assert.Equal(0, await NotificationsAsync("sup01", title));

        await scenario.PassTimeUntilAsync(due + TimeSpan.FromMinutes(1));
        Assert.Equal(1, await NotificationsAsync("sup01", title));
        Assert.Equal(["fired"], await scenario.FiringStatusesAsync("accept_overdue", Id(waiting)));
        Assert.Empty(await scenario.FiringsAsync($"rule=accept_overdue&record={Id(accepted)}"));
        Assert.Equal(["accept"], Active(await GetAsync(cs, "service_request", Id(waiting))));
    }

    [Fact]
    public async Task LowStockPurchase_AsksOnceWhenStockFallsBelowSafetyStock_NotAgainWhileItStaysBelow()
    {
        using var wh = await scenario.AsAsync("wh01");
        var part = await CreateAsync(wh, "spare_part", new JsonObject
        {
            ["part_no"] = $"SP-LOW-{Guid.NewGuid():N}"[..16], ["name"] = "场景：门封条", ["stock"] = 12, ["safety_stock"] = 10, ["unit_cost"] = 45,
        });
        var partId = Id(part);
        var ticket = Id((await ListAsync(wh, "service_request", "pageSize=1"))["items"]![0]!.AsObject());
        foreach (var quantity in new[] { 2, 1, 3 })
        {
            await CreateAsync(wh, "part_usage", new JsonObject { ["service_request"] = ticket, ["part"] = partId, ["quantity"] = quantity });
        }

        Assert.Equal(6, (await GetAsync(wh, "spare_part", partId))["data"]!["stock"]!.GetValue<decimal>());
        Assert.Equal(["condition-false", "fired", "condition-false"], await scenario.FiringStatusesAsync("low_stock_purchase", partId));
        var purchase = Assert.Single((await ListAsync(wh, "purchase_request", $"filter=part:eq:{partId}"))["items"]!.AsArray())!.AsObject();
        Assert.Equal(10 * 2 - 9, purchase["data"]!["quantity"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task OpenJobs_OfEveryEngineer_CountTheirDispatchedRequestsNotYetClosed()
    {
        await using var connection = new Npgsql.NpgsqlConnection(platform.ConnectionString);
        await connection.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("""
            select e.data->>'name', coalesce((e.data->>'open_jobs')::int, 0),
                   (select count(*)::int from records s join flow_instances i on i.record_id = s.id
                    where s.app_key = 'after_sales' and s.entity_key = 'service_request' and i.status = 'running' and s.data->>'engineer' = e.id::text)
            from records e where e.app_key = 'after_sales' and e.entity_key = 'engineer'
            """, connection);
        var wrong = new List<string>();
        var engineers = 0;
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            engineers++;
            if (reader.GetInt32(1) != reader.GetInt32(2))
            {
                wrong.Add($"{reader.GetString(0)}: open_jobs {reader.GetInt32(1)}, open dispatched requests {reader.GetInt32(2)}");
            }
        }

        Assert.True(engineers >= 21, $"{engineers} engineers");
        Assert.True(wrong.Count == 0, string.Join("\n", wrong));
    }
}
